package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes a {@link Detector} watches, found by id and by address (an ACK names its sender's
 * address), and listed in an array for rounds over all of them; adding and removing are O(1). No
 * two targets share an id, nor two pulse targets an address.
 *
 * <pre>{@code
 * TargetTable table = new TargetTable();
 * table.add(target);              // throws DuplicateNodeException for a second id or address
 * Target same = table.require(target.id);
 * }</pre>
 */
final class TargetTable {
    private final Map<NodeId, Target> byId = new HashMap<>();
    private final Map<InetSocketAddress, Target> byAddress = new HashMap<>();
    private final List<Target> targets = new ArrayList<>();

    /** @throws DuplicateNodeException if {@code target}'s id, or its address, is in the table already */
    void add(Target target) {
        if (byId.containsKey(target.id)) {
            throw new DuplicateNodeException(target.id, "is already watched");
        }
        Target sameAddress = target.address == null ? null : byAddress.get(target.address);
        if (sameAddress != null) {
            throw new DuplicateNodeException(target.id, "has the address " + target.address + " of " + sameAddress.id);
        }
        target.index = targets.size();
        targets.add(target);
        byId.put(target.id, target);
        if (target.address != null) {
            byAddress.put(target.address, target);
        }
    }

    /**
     * Finds {@code target} at {@code address} from now on.
     *
     * @throws DuplicateNodeException if another target has that address
     */
    void readdress(Target target, InetSocketAddress address) {
        Target other = byAddress.get(address);
        if (other != null && other != target) {
            throw new DuplicateNodeException(target.id, "would move to the address " + address + " of " + other.id);
        }
        byAddress.remove(target.address);
        target.address = address;
        byAddress.put(address, target);
    }

    /**
     * Takes the node out of the table and returns it.
     *
     * @throws UnknownNodeException if it is not in the table
     */
    Target remove(NodeId id) {
        Target target = require(id);
        byId.remove(id);
        if (target.address != null) {
            byAddress.remove(target.address);
        }
        Target last = targets.remove(targets.size() - 1);
        if (last != target) {
            targets.set(target.index, last);
            last.index = target.index;
        }
        return target;
    }

    /** @throws UnknownNodeException if the node is not in the table */
    Target require(NodeId id) {
        Target target = byId.get(id);
        if (target == null) {
            throw new UnknownNodeException(id);
        }
        return target;
    }

    /** The node, or null if it is not in the table. */
    Target get(NodeId id) {
        return byId.get(id);
    }

    boolean contains(NodeId id) {
        return byId.containsKey(id);
    }

    boolean containsAddress(InetSocketAddress address) {
        return byAddress.containsKey(address);
    }

    /** Every target, in no particular order; a live view: copy it to remove while iterating. */
    List<Target> all() {
        return targets;
    }

    int size() {
        return targets.size();
    }

    Collection<NodeId> ids() {
        return byId.keySet();
    }
}
