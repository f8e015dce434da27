package io.stowage.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Scripted answers of a test server: "the next N requests to this path get status S", or "every
 * request to it does". Entries are tried in the order they were added; a counted entry is dropped
 * once used up.
 */
final class StatusScript {

  /** A scripted answer: the status and any extra headers ({@code Retry-After}, say). */
  record Answer(int status, Map<String, String> headers) {
    Answer {
      headers = Map.copyOf(headers);
    }
  }

  private static final class Entry {
    final String pattern;
    final Answer answer;
    int remaining;

    Entry(String pattern, Answer answer, int remaining) {
      this.pattern = pattern;
      this.answer = answer;
      this.remaining = remaining;
    }
  }

  /** Marks an entry that never runs out. */
  private static final int ALWAYS = -1;

  private final List<Entry> entries = new ArrayList<>();

  synchronized void failNext(String pattern, int count, int status, Map<String, String> headers) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    entries.add(
        new Entry(PathPattern.require(pattern), new Answer(status(status), headers), count));
  }

  synchronized void always(String pattern, int status, Map<String, String> headers) {
    entries.add(
        new Entry(PathPattern.require(pattern), new Answer(status(status), headers), ALWAYS));
  }

  synchronized void clear() {
    entries.clear();
  }

  /** The scripted answer for a request to {@code path}, using it up, or null to answer normally. */
  synchronized @Nullable Answer next(String path) {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (!PathPattern.matches(entry.pattern, path)) {
        continue;
      }
      if (entry.remaining != ALWAYS && --entry.remaining == 0) {
        it.remove();
      }
      return entry.answer;
    }
    return null;
  }

  private static int status(int status) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("a scripted status is 200..599, got " + status);
    }
    return status;
  }
}
