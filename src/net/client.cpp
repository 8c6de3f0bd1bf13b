#include "duplex/net/client.hpp"

#include "connection.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/ws/handshake.hpp"
#include "duplex/net/url.hpp"
#include "tcp_listener.hpp"

namespace duplex::net {

ConnectionRef connect(EventLoop& loop, std::string_view url_text, Behavior behavior, ClientOptions options) {
  detail::Hub& hub = loop.hub();
  detail::Connection& connection =
      hub.add(std::make_unique<detail::Connection>(hub, std::make_unique<const Behavior>(std::move(behavior)), options));
  const ConnectionRef ref(&loop, connection.id);
  // Failures are reported from the loop, after connect() has returned the ref.
  auto fail_later = [&](std::string message) {
    loop.post([&loop, id = ref.id(), message = std::move(message)] {
      if (detail::Connection* c = loop.hub().find(id)) c->fail_before_open(message);
    });
  };
  if (std::string why = ws::check_extra_request_fields(options.headers); !why.empty()) {
    fail_later("ClientOptions::headers: " + why);
    return ref;
  }
  auto url = parse_url(url_text);
  if (!url) {
    fail_later(url.error().message + " (" + std::string(url_text) + ")");
    return ref;
  }
  // tls::ClientConfig{}: the X.509 path validator with the system's roots, for the URL's host.
  if (url->secure && !options.tls) options.tls = std::make_shared<const tls::ClientConfig>();
  // Fail closed before any packet: a TLS config no handshake could succeed with.
  if (url->secure) {
    if (auto checked = tls::check_config(*options.tls); !checked) {
      fail_later("TLS: " + checked.error().message);
      return ref;
    }
  }
  auto addresses = detail::resolve(url->host, url->port, false);
  if (!addresses) {
    fail_later(addresses.error().message);
    return ref;
  }
  connection.start_connect(std::move(addresses).value(), url->host_field(), url->target, options,
                           url->secure ? url->host : std::string());
  return ref;
}

}  // namespace duplex::net
