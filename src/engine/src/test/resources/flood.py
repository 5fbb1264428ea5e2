import socket, struct, sys, time, os
host, port, secs, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(8)]
for s in socks: s.bind(("127.0.0.1", 0))
pkt = struct.pack(">HBBBBHQQ", 0x5055, 2, 1, 0, 0, 0, 1, time.time_ns()) + bytes(24)
end = time.time() + secs; n = 0; t0 = time.time()
addr = (host, port)
while time.time() < end:
    for i in range(1000):
        socks[i & 7].sendto(pkt, addr)
    n += 1000
    if rate:
        ahead = n / rate - (time.time() - t0)
        if ahead > 0: time.sleep(ahead)
print("sent", n, "in", round(time.time()-t0,2), "s =", int(n/(time.time()-t0)), "/s")
