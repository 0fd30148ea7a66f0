package io.turnout.dataplane.provider.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Incremental SSE parsing: any split of the bytes yields the same events. */
class SseParserTest {

  /** One dispatched event, compared by value. */
  record Event(String name, String data) {}

  private final List<Event> events = new ArrayList<>();
  private final SseParser parser = new SseParser((name, data) -> events.add(new Event(name, data)));

  /** A stream that mixes every line ending, comments, names, multi-line data and non-ASCII text. */
  private static final String MIXED_STREAM = ": connected\r\n"
      + "data: {\"a\":\"b:c\"}\n\n"
      + "event: delta\r\n"
      + "data: first\r\n"
      + "data: second\r\n\r\n"
      + "id: 7\rretry: 100\rdata:no-space\r\r"
      + ": keep-alive\n\n"
      + "data: héllo wörld \uD83D\uDE00 世界\n"
      + ": a comment inside an event\n"
      + "data:  two leading spaces\n\n"
      + "event: error\n"
      + "data: {\"error\":{}}\n\n"
      + "data: [DONE]\n\n";

  private static final List<Event> MIXED_EVENTS = List.of(
      new Event(null, "{\"a\":\"b:c\"}"),
      new Event("delta", "first\nsecond"),
      new Event(null, "no-space"),
      new Event(null, "héllo wörld \uD83D\uDE00 世界\n two leading spaces"),
      new Event("error", "{\"error\":{}}"),
      new Event(null, "[DONE]"));

  private void feed(String text) {
    parser.feed(Buffer.buffer(text));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void givenWholeStreamInOneBuffer_whenFed_thenEveryEventIsDispatchedInOrder() {
    feed(MIXED_STREAM);

    assertEquals(MIXED_EVENTS, events);
    assertFalse(parser.hasPendingEvent());
  }

  @Test
  void givenStreamFedOneByteAtATime_whenParsed_thenEventsMatchTheWholeBufferParse() {
    for (byte b : utf8(MIXED_STREAM)) {
      parser.feed(Buffer.buffer(new byte[] {b}));
    }

    assertEquals(MIXED_EVENTS, events);
    assertFalse(parser.hasPendingEvent());
  }

  @Test
  void givenStreamSplitAtEveryPossibleByteBoundary_whenFedInTwoBuffers_thenEventsAreTheSame() {
    byte[] bytes = utf8(MIXED_STREAM);
    for (int cut = 0; cut <= bytes.length; cut++) {
      List<Event> seen = new ArrayList<>();
      SseParser p = new SseParser((name, data) -> seen.add(new Event(name, data)));

      p.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, cut)));
      p.feed(Buffer.buffer(Arrays.copyOfRange(bytes, cut, bytes.length)));

      assertEquals(MIXED_EVENTS, seen, "split at byte " + cut);
    }
  }

  @Test
  void givenTheByteHandler_whenFed_thenEachEventsDataIsItsBytesJoinedWithLf_undecoded() {
    List<String> seen = new ArrayList<>();
    SseParser p = SseParser.ofBytes((name, data) -> seen.add(name + "=" + Arrays.toString(data)));
    byte[] stream = {'d', 'a', 't', 'a', ':', ' ', 'a', (byte) 0xff, '\r', '\n',
        'd', 'a', 't', 'a', ':', 'b', '\n', '\n',
        'e', 'v', 'e', 'n', 't', ':', 'x', '\n', 'd', 'a', 't', 'a', '\n', '\n',
        'd', 'a', 't', 'a', ':', ' ', '{', '}', '\n', '\n'};

    for (byte b : stream) {
      p.feed(Buffer.buffer(new byte[] {b}));
    }

    assertEquals(List.of("null=" + Arrays.toString(new byte[] {'a', (byte) 0xff, '\n', 'b'}), "x=[]",
        "null=" + Arrays.toString(new byte[] {'{', '}'})), seen);
    assertFalse(p.hasPendingEvent());
  }

  @Test
  void givenStreamInRandomSplitsWithFixedSeed_whenFed_thenEventsAreTheSame() {
    byte[] bytes = utf8(MIXED_STREAM);
    Random random = new Random(20_260_607L);
    for (int round = 0; round < 500; round++) {
      List<Event> seen = new ArrayList<>();
      SseParser p = new SseParser((name, data) -> seen.add(new Event(name, data)));
      int at = 0;
      while (at < bytes.length) {
        int size = Math.min(bytes.length - at, random.nextInt(9)); // 0-8: empty buffers included
        p.feed(Buffer.buffer(Arrays.copyOfRange(bytes, at, at + size)));
        at += size;
      }

      assertEquals(MIXED_EVENTS, seen, "round " + round);
    }
  }

  @ParameterizedTest(name = "line ending {index}")
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void givenOneLineEndingStyle_whenParsed_thenEventsAreIdentical(String eol) {
    feed("event: e" + eol + "data: a" + eol + "data: b" + eol + eol + "data: c" + eol + eol);

    assertEquals(List.of(new Event("e", "a\nb"), new Event(null, "c")), events);
  }

  @Test
  void givenCrLfSplitBetweenBuffers_whenParsed_thenItCountsAsOneLineEndNotABlankLine() {
    // A CR at the end of one buffer and its LF at the start of the next must not dispatch early.
    feed("data: a\r");
    feed("\ndata: b\r");
    feed("\n");
    assertTrue(events.isEmpty(), "no blank line yet");
    assertTrue(parser.hasPendingEvent());

    feed("\r");
    assertEquals(List.of(new Event(null, "a\nb")), events, "a lone CR is a complete blank line");
    feed("\n");
    assertEquals(1, events.size(), "the LF of that CRLF is not a second blank line");
    assertFalse(parser.hasPendingEvent());
  }

  @Test
  void givenTwoCarriageReturns_whenParsed_thenTheSecondIsABlankLineThatDispatches() {
    feed("data: x\r\r");

    assertEquals(List.of(new Event(null, "x")), events);
  }

  @Test
  void givenMultipleDataLines_whenDispatched_thenTheyAreJoinedWithLfAndNoTrailingLf() {
    feed("data: {\n" + "data:   \"a\": 1\n" + "data: }\n\n");

    assertEquals(List.of(new Event(null, "{\n  \"a\": 1\n}")), events);
  }

  @Test
  void givenSpaceAfterColonOrNot_whenParsed_thenOnlyOneLeadingSpaceIsDropped() {
    feed("data:x\n\n");
    feed("data: x\n\n");
    feed("data:  x\n\n");
    feed("data:\n\n");

    assertEquals(List.of(new Event(null, "x"), new Event(null, "x"), new Event(null, " x"), new Event(null, "")),
        events);
  }

  @Test
  void givenDataFieldWithoutColon_whenParsed_thenItIsAnEmptyDataLine() {
    feed("data\n\n");

    assertEquals(List.of(new Event(null, "")), events);
  }

  @Test
  void givenEventName_whenDispatched_thenItAppliesOnlyToThatEvent() {
    feed("event: message_start\ndata: 1\n\ndata: 2\n\n");

    assertEquals(List.of(new Event("message_start", "1"), new Event(null, "2")), events);
  }

  @Test
  void givenEventNameWithoutData_whenBlankLineArrives_thenNothingIsDispatchedAndTheNameIsForgotten() {
    feed("event: ping\n\n");
    assertTrue(events.isEmpty());
    assertFalse(parser.hasPendingEvent());

    feed("data: after\n\n");
    assertEquals(List.of(new Event(null, "after")), events);
  }

  @Test
  void givenOnlyComments_whenParsed_thenNothingIsDispatchedOrPending() {
    feed(": keep-alive\n\n:\n\n: another: with colon\n");

    assertTrue(events.isEmpty());
    assertFalse(parser.hasPendingEvent());
  }

  @Test
  void givenCommentBetweenDataLines_whenParsed_thenItDoesNotBreakTheEvent() {
    feed("data: a\n: ignored\ndata: b\n\n");

    assertEquals(List.of(new Event(null, "a\nb")), events);
  }

  @Test
  void givenIdRetryAndUnknownFields_whenParsed_thenTheyAreIgnored() {
    feed("id: 42\nretry: 3000\nfoo: bar\ndata: x\n\n");

    assertEquals(List.of(new Event(null, "x")), events);
  }

  @Test
  void givenMultiByteCharactersSplitInsideTheirBytes_whenFed_thenTheyDecodeCorrectly() {
    String text = "ü€\uD83D\uDE80漢";
    byte[] bytes = utf8("data: " + text + "\n\n");
    // Every split inside the 2-, 3- and 4-byte sequences, one byte per buffer and in pairs.
    for (int cut = 1; cut < bytes.length; cut++) {
      List<Event> seen = new ArrayList<>();
      SseParser p = new SseParser((name, data) -> seen.add(new Event(name, data)));
      p.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, cut)));
      p.feed(Buffer.buffer(Arrays.copyOfRange(bytes, cut, bytes.length)));
      assertEquals(List.of(new Event(null, text)), seen, "split at byte " + cut);
    }
    for (byte b : bytes) {
      parser.feed(Buffer.buffer(new byte[] {b}));
    }
    assertEquals(List.of(new Event(null, text)), events);
  }

  @Test
  void givenNothingFed_whenAsked_thenNoEventIsPending() {
    assertFalse(parser.hasPendingEvent());
  }

  @Test
  void givenPartialLine_whenAsked_thenAnEventIsPendingAndNotDispatched() {
    feed("data: {\"id\":");

    assertTrue(parser.hasPendingEvent());
    assertTrue(events.isEmpty());
  }

  @Test
  void givenCompleteDataLineWithoutBlankLine_whenStreamStops_thenNothingIsDispatchedAndItIsPending() {
    feed("data: last chunk\n");

    assertTrue(events.isEmpty(), "an event without its blank line must not be dispatched");
    assertTrue(parser.hasPendingEvent());

    feed("\n");
    assertEquals(List.of(new Event(null, "last chunk")), events);
    assertFalse(parser.hasPendingEvent());
  }

  @Test
  void givenEventNameOnly_whenAsked_thenAnEventIsPending() {
    feed("event: error\n");

    assertTrue(parser.hasPendingEvent());
  }

  @Test
  void givenHandlerThatThrows_whenEventIsDispatched_thenTheSameExceptionPropagatesFromFeed() {
    IllegalArgumentException boom = new IllegalArgumentException("handler failed");
    SseParser throwing = new SseParser((name, data) -> {
      throw boom;
    });

    RuntimeException thrown = assertThrows(RuntimeException.class, () -> throwing.feed(Buffer.buffer("data: x\n\n")));

    assertSame(boom, thrown);
  }

  @Test
  void givenHandlerThatThrewOnce_whenTheNextEventArrives_thenItStartsClean() {
    List<Event> seen = new ArrayList<>();
    SseParser p = new SseParser((name, data) -> {
      if (seen.isEmpty() && "bad".equals(data)) {
        seen.add(new Event(name, data));
        throw new IllegalStateException("first");
      }
      seen.add(new Event(name, data));
    });
    assertThrows(IllegalStateException.class, () -> p.feed(Buffer.buffer("event: e\ndata: bad\n\n")));

    p.feed(Buffer.buffer("data: good\n\n"));

    assertEquals(List.of(new Event("e", "bad"), new Event(null, "good")), seen);
  }

  @Test
  void givenLineOfExactlyTheLimit_whenParsed_thenItIsAccepted() {
    int max = 4 * 1024 * 1024;
    byte[] line = new byte[max];
    Arrays.fill(line, (byte) 'a');
    System.arraycopy(utf8("data: "), 0, line, 0, 6);

    parser.feed(Buffer.buffer(line));
    feed("\n\n");

    assertEquals(1, events.size());
    assertEquals(max - 6, events.get(0).data().length());
  }

  @Test
  void givenLineOneByteOverTheLimit_whenFed_thenIllegalStateException() {
    int max = 4 * 1024 * 1024;
    byte[] line = new byte[max + 1];
    Arrays.fill(line, (byte) 'a');

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> parser.feed(Buffer.buffer(line)));

    assertTrue(e.getMessage().contains("line"), e.getMessage());
    assertTrue(events.isEmpty());
  }

  @Test
  void givenOversizeLineArrivingInSmallBuffers_whenFed_thenIllegalStateException() {
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    assertThrows(IllegalStateException.class, () -> {
      for (int i = 0; i < 65; i++) { // 65 x 64 KiB > 4 MiB, no line end anywhere
        parser.feed(chunk);
      }
    });
  }
}
