package io.stowage.storage.s3;

/** One entry of a bucket listing. */
public record S3Object(String key, long size, String etag, String storageClass) {}
