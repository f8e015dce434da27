/**
 * Real local servers and fault injectors for Stowage's tests, benchmarks and {@code quickstart}.
 *
 * <p>Nothing here is a mock: {@link io.stowage.testkit.S3ProxyServer} runs S3Proxy as a child
 * process, {@link io.stowage.testkit.HttpFileServer} and {@link io.stowage.testkit.HubServer} (a
 * Hugging Face Hub-compatible API) are real HTTP(S) servers, {@link io.stowage.testkit.FaultProxy}
 * and {@link io.stowage.testkit.ForwardProxy} are real TCP servers. Everything binds to 127.0.0.1
 * on a free port chosen by the kernel, so tests can run in parallel and never reach beyond the
 * machine.
 */
@NullMarked
package io.stowage.testkit;

import org.jspecify.annotations.NullMarked;
