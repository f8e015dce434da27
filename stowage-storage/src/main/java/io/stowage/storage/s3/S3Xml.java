package io.stowage.storage.s3;

import io.stowage.storage.net.PercentEncoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/** Reads the two XML documents S3 sends us: ListObjectsV2 results and error documents. */
final class S3Xml {
  private static final XMLInputFactory FACTORY = newFactory();

  private S3Xml() {}

  record ListPage(
      List<S3Object> objects, @Nullable String nextContinuationToken, boolean urlEncoded) {}

  record ErrorDocument(String code, String message, @Nullable String region) {}

  static ListPage listPage(byte[] xml) throws IOException {
    List<S3Object> objects = new ArrayList<>();
    String next = null;
    boolean truncated = false;
    boolean urlEncoded = false;
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      Map<String, String> contents = null;
      String element = null;
      StringBuilder text = new StringBuilder();
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          element = r.getLocalName();
          text.setLength(0);
          if (depth == 2 && element.equals("Contents")) {
            contents = new HashMap<>();
          }
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
          text.append(r.getText());
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          String name = r.getLocalName();
          if (depth == 2) {
            switch (name) {
              case "Contents" -> {
                if (contents != null) {
                  objects.add(toObject(contents));
                }
                contents = null;
              }
              case "NextContinuationToken" -> next = text.toString();
              case "IsTruncated" -> truncated = text.toString().strip().equals("true");
              case "EncodingType" -> urlEncoded = text.toString().strip().equals("url");
              default -> {}
            }
          } else if (depth == 3 && contents != null) {
            contents.put(name, text.toString());
          }
          depth--;
          element = null;
          text.setLength(0);
        }
      }
    } catch (XMLStreamException | RuntimeException e) {
      throw new IOException("malformed ListObjectsV2 response: " + e.getMessage(), e);
    }
    if (urlEncoded) {
      List<S3Object> decoded = new ArrayList<>(objects.size());
      for (S3Object o : objects) {
        try {
          decoded.add(
              new S3Object(PercentEncoding.decode(o.key()), o.size(), o.etag(), o.storageClass()));
        } catch (IllegalArgumentException e) {
          throw new IOException("malformed ListObjectsV2 response: " + e.getMessage(), e);
        }
      }
      objects = decoded;
    }
    return new ListPage(objects, truncated ? next : null, urlEncoded);
  }

  private static S3Object toObject(Map<String, String> c) throws IOException {
    String key = c.get("Key");
    String size = c.get("Size");
    if (key == null || size == null) {
      throw new IOException("listing entry without Key or Size");
    }
    return new S3Object(
        key,
        Long.parseLong(size.strip()),
        c.getOrDefault("ETag", "").strip(),
        c.getOrDefault("StorageClass", "STANDARD").strip());
  }

  /** A document's top-level fields and its repeated records (e.g. ListParts' {@code <Part>}s). */
  record Records(Map<String, String> top, List<Map<String, String>> items) {
    String top(String name) {
      return top.getOrDefault(name, "");
    }
  }

  /**
   * Reads a flat S3 result document: text fields directly under the root, and the text fields of
   * each {@code <repeated>} element under the root.
   */
  static Records records(byte[] xml, String repeated) throws IOException {
    Map<String, String> top = new HashMap<>();
    List<Map<String, String>> items = new ArrayList<>();
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      Map<String, String> item = null;
      StringBuilder text = new StringBuilder();
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          text.setLength(0);
          if (depth == 2 && r.getLocalName().equals(repeated)) {
            item = new HashMap<>();
          }
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
          text.append(r.getText());
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          String name = r.getLocalName();
          if (depth == 2 && item != null && name.equals(repeated)) {
            items.add(item);
            item = null;
          } else if (depth == 2) {
            top.put(name, text.toString().strip());
          } else if (depth == 3 && item != null) {
            item.put(name, text.toString().strip());
          }
          depth--;
          text.setLength(0);
        }
      }
    } catch (XMLStreamException | RuntimeException e) {
      throw new IOException("malformed S3 response: " + e.getMessage(), e);
    }
    return new Records(top, items);
  }

  /** True when a 200 answer is in fact an error document (CompleteMultipartUpload does that). */
  static boolean isError(byte[] xml) {
    String head =
        new String(xml, 0, Math.min(xml.length, 512), java.nio.charset.StandardCharsets.UTF_8);
    return head.contains("<Error>");
  }

  /** Parses an error document; unknown or empty bodies give an empty code. */
  static ErrorDocument error(byte[] xml) {
    String code = "";
    String message = "";
    String region = null;
    if (xml.length == 0) {
      return new ErrorDocument(code, message, null);
    }
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      StringBuilder text = new StringBuilder();
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          text.setLength(0);
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
          text.append(r.getText());
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (depth == 2) {
            switch (r.getLocalName()) {
              case "Code" -> code = text.toString().strip();
              case "Message" -> message = text.toString().strip();
              case "Region" -> region = text.toString().strip();
              default -> {}
            }
          }
          depth--;
        }
      }
    } catch (XMLStreamException | RuntimeException e) {
      return new ErrorDocument("", "", null);
    }
    return new ErrorDocument(code, message, region);
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    // Listings come from the network: no DTDs, no external entities.
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }
}
