// Socket addresses and the few socket calls the runtime shares.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

namespace duplex::net::detail {

// An IPv4 or IPv6 address and port, 28 bytes (sockaddr_storage would be 128).
union SocketAddress {
  sockaddr any;
  sockaddr_in v4;
  sockaddr_in6 v6;

  socklen_t length() const { return any.sa_family == AF_INET6 ? sizeof(v6) : sizeof(v4); }
  // "192.0.2.1:80", "[::1]:80".
  std::string to_string() const;
};

SocketAddress make_address(const sockaddr* address, socklen_t length);

// "connection refused": strerror in lower case, as a sentence fragment.
std::string error_text(int error_number);
void set_no_delay(int fd);

}  // namespace duplex::net::detail
