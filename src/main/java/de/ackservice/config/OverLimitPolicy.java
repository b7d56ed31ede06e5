package de.ackservice.config;

/** What happens to a connection that arrives while {@code maxConnections} are already being served. */
public enum OverLimitPolicy {
  /** Hold it unread and serve it, in arrival order, as soon as a slot frees (the seed's single-user mode at limit 1). */
  QUEUE,
  /** Close it at once and log it. */
  REJECT
}
