package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One change of an agreed configuration, the value its members decide on: which members are
 * removed because their observers found them down, which because they left, which join (a restart
 * is the same address removed and joining with a new incarnation), and which flapping members
 * have been stable long enough to be settled. Members are named by their index in the
 * configuration the change applies to, so that a change of a tenth of 10,000 members fits one datagram.
 *
 * <pre>{@code
 * Proposal p = new Proposal(clock.epochNanos() / 1_000_000, new int[] {3}, new int[0], List.of(), List.of());
 * Configuration next = current.apply(p, holdDown);
 * }</pre>
 *
 * @param atMillis when the coordinator proposed it, on its wall clock: the time of every event it
 *                 gives, and of the standings it writes, identical at every member
 * @param down     indices of members found down, ascending, no duplicates
 * @param left     indices of members that left, ascending, none also in {@code down}
 * @param joined   members joining, by address ascending, none with the address of a member staying
 * @param settled  addresses whose flapping standing ends
 */
public record Proposal(
        long atMillis, int[] down, int[] left, List<MemberInfo> joined, List<InetSocketAddress> settled) {
    public Proposal {
        Objects.requireNonNull(down, "down");
        Objects.requireNonNull(left, "left");
        joined = List.copyOf(joined);
        settled = List.copyOf(settled);
        down = down.clone();
        left = left.clone();
        requireAscending("down", down);
        requireAscending("left", left);
        for (int i : left) {
            if (Arrays.binarySearch(down, i) >= 0) {
                throw new IllegalArgumentException("member " + i + " is both down and left");
            }
        }
        if (atMillis < 0) {
            throw new IllegalArgumentException("atMillis must be >= 0, got " + atMillis);
        }
    }

    private static void requireAscending(String name, int[] indices) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || (i > 0 && indices[i] <= indices[i - 1])) {
                throw new IllegalArgumentException(
                        name + " must be ascending member indices >= 0, got " + Arrays.toString(indices));
            }
        }
    }

    /**
     * The encoded size: time, the down members as a list of 2-byte indices or a bitmap (whichever is
     * smaller), the left ones as a list, the joining members, the settled addresses.
     */
    public int encodedBytes() {
        int bytes = 8 + 1 + Math.min(downListBytes(), downBitmapBytes()) + 2 + 2 * left.length + 2 + 2;
        for (MemberInfo m : joined) {
            bytes += m.encodedBytes();
        }
        for (InetSocketAddress a : settled) {
            bytes += MemberInfo.addressBytes(a);
        }
        return bytes;
    }

    /** Down members as a count and 2-byte indices. */
    public int downListBytes() {
        return 2 + 2 * down.length;
    }

    /** Down members as a bit count and a bitmap up to the highest index. */
    public int downBitmapBytes() {
        return 2 + (down.length == 0 ? 0 : (down[down.length - 1] + 8) / 8);
    }

    /** Nothing to change: no removal, no join, nothing settled. */
    public boolean isEmpty() {
        return down.length == 0 && left.length == 0 && joined.isEmpty() && settled.isEmpty();
    }

    @Override
    public int[] down() {
        return down.clone();
    }

    @Override
    public int[] left() {
        return left.clone();
    }

    int downCount() {
        return down.length;
    }

    int leftCount() {
        return left.length;
    }

    int down(int i) {
        return down[i];
    }

    int left(int i) {
        return left[i];
    }

    boolean isDown(int index) {
        return Arrays.binarySearch(down, index) >= 0;
    }

    boolean isLeft(int index) {
        return Arrays.binarySearch(left, index) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proposal p
                && atMillis == p.atMillis
                && Arrays.equals(down, p.down)
                && Arrays.equals(left, p.left)
                && joined.equals(p.joined)
                && settled.equals(p.settled);
    }

    @Override
    public int hashCode() {
        return Objects.hash(atMillis, Arrays.hashCode(down), Arrays.hashCode(left), joined, settled);
    }

    @Override
    public String toString() {
        return "Proposal[at=" + atMillis + ", down=" + Arrays.toString(down) + ", left=" + Arrays.toString(left)
                + ", joined=" + joined.stream().map(MemberInfo::id).toList() + ", settled=" + settled + "]";
    }
}
