package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Instant;

/** One cluster member as this node sees it; owned by {@link Membership}, on its thread. */
final class Member {
    final NodeId id;
    final InetSocketAddress address;
    /** Where the member sits on the ring: a hash of its address. */
    final long ringKey;

    Liveness state = Liveness.PENDING;
    long incarnation;
    /** Who said the current state first (see {@link MemberUpdate#origin()}). */
    InetSocketAddress origin;

    Instant since;
    /** While SUSPECT. */
    Suspicion suspicion;

    TimerQueue.Timer reapTimer;
    /** Index in the ring's random-access list while live, else -1. */
    int liveIndex = -1;

    Member(InetSocketAddress address) {
        this.address = address;
        this.id = NodeId.of(address.getAddress().getHostAddress(), address.getPort());
        this.ringKey = ringKey(address);
    }

    /** ALIVE and SUSPECT members are on the ring: they watch and are watched. */
    boolean live() {
        return state == Liveness.ALIVE || state == Liveness.SUSPECT;
    }

    MemberUpdate update() {
        return new MemberUpdate(address, state, incarnation, origin == null ? address : origin);
    }

    /** SplitMix64 over the address bytes and port: spreads neighbours (10.0.0.1, .2, ...) around the ring. */
    static long ringKey(InetSocketAddress address) {
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : address.getAddress().getAddress()) {
            h = mix(h + (b & 0xff));
        }
        return mix(h + address.getPort());
    }

    /** The same hash for a target's id text. */
    static long ringKey(String text) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < text.length(); i++) {
            h = mix(h + text.charAt(i));
        }
        return h;
    }

    /** Rendezvous score of a member (by its ring key) for a target key. */
    static long score(long memberKey, long targetKey) {
        return mix(memberKey ^ targetKey);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return id + " " + state + "@" + incarnation;
    }
}
