package de.ackservice.server;

/** Why a connection ended, as it appears in the close log line. */
enum CloseReason {
  PEER_CLOSED("closed by client"),
  IDLE("idle timeout"),
  LINE_TOO_LONG("line too long"),
  REJECTED("rejected: connection limit reached"),
  QUEUE_FULL("rejected: connection queue full"),
  OVERLOAD("rejected by overload admission"),
  SLOW_READER("slow reader"),
  DURING_SHUTDOWN("closed during server shutdown"),
  ERROR("error");

  final String text;

  CloseReason(String text) {
    this.text = text;
  }
}
