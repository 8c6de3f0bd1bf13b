#include "socket_address.hpp"

#include <arpa/inet.h>
#include <netinet/tcp.h>

#include <cctype>
#include <cstring>

namespace duplex::net::detail {

std::string SocketAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (any.sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(v6.sin6_port));
  }
  if (any.sa_family == AF_INET) {
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(v4.sin_port));
  }
  return "unknown";
}

SocketAddress make_address(const sockaddr* address, socklen_t length) {
  SocketAddress out{};
  if (address && length <= sizeof(SocketAddress)) std::memcpy(&out, address, length);
  return out;
}

std::string error_text(int error_number) {
  std::string text = std::strerror(error_number);
  if (!text.empty() && !(text.size() > 1 && std::isupper(static_cast<unsigned char>(text[1]))))
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

void set_no_delay(int fd) {
  // Frames are batched once per loop iteration already; Nagle would only add latency.
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace duplex::net::detail
