package io.pulse.sidecar.dashboard;

/**
 * The dashboard's own link to Kafka, as the page shows it.
 *
 * @param kafka         {@code connecting} (not asked yet), {@code up} or {@code down}
 * @param sinceMillis   when {@code kafka} became what it is
 * @param error         why Kafka is down, or null
 * @param lag           records on the topics not read yet, or -1 when unknown
 * @param lastRecordMillis when the dashboard last read an event (its own clock), or -1
 * @param lastEventMillis  the time written in that event, or -1
 */
record Connection(String kafka, long sinceMillis, String error, long lag, long lastRecordMillis, long lastEventMillis) {
    static final String CONNECTING = "connecting";
    static final String UP = "up";
    static final String DOWN = "down";

    static Connection initial(long nowMillis) {
        return new Connection(CONNECTING, nowMillis, null, -1, -1, -1);
    }

    Connection up(long nowMillis, long newLag) {
        return new Connection(
                UP, kafka.equals(UP) ? sinceMillis : nowMillis, null, newLag, lastRecordMillis, lastEventMillis);
    }

    Connection down(long nowMillis, String why) {
        return new Connection(
                DOWN, kafka.equals(DOWN) ? sinceMillis : nowMillis, why, lag, lastRecordMillis, lastEventMillis);
    }

    Connection read(long nowMillis, long eventMillis) {
        return new Connection(kafka, sinceMillis, error, lag, nowMillis, Math.max(lastEventMillis, eventMillis));
    }
}
