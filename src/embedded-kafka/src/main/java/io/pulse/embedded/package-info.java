/**
 * A real single-node Kafka broker (KRaft) on 127.0.0.1, for {@code pulse demo},
 * {@code pulse run --embedded-kafka} and the tests. Not for production. Nothing here accepts or
 * returns {@code null}.
 */
package io.pulse.embedded;
