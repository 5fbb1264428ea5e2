# Sends UDP datagrams with a forged source address, through a raw socket (root only):
#   forge.py SRC_IP SRC_PORT DST_IP DST_PORT < payloads   (one hex payload a line)
# Exits 77 when raw sockets are not allowed here, so that a test can skip.
import socket, struct, sys

src_ip, src_port, dst_ip, dst_port = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
try:
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
except PermissionError:
    sys.exit(77)
sent = 0
for line in sys.stdin:
    payload = bytes.fromhex(line.strip())
    udp = struct.pack("!HHHH", src_port, dst_port, 8 + len(payload), 0) + payload  # UDP checksum 0: none (IPv4)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(src_ip), socket.inet_aton(dst_ip))  # the kernel fills id and checksum
    raw.sendto(ip + udp, (dst_ip, 0))
    sent += 1
print(sent)
