// UpgradeRequest (the hook's view of the request) and PendingUpgrade (its deferred answer).
#include "duplex/net/upgrade.hpp"

#include <memory>

#include "connection.hpp"
#include "duplex/http/cookie.hpp"
#include "duplex/http/query.hpp"
#include "duplex/net/event_loop.hpp"

namespace duplex::net {

std::string_view UpgradeRequest::path() const { return http::target_path(head_.target); }
std::string_view UpgradeRequest::query() const { return http::target_query(head_.target); }
std::optional<std::string> UpgradeRequest::query_parameter(std::string_view name) const {
  return http::query_parameter(query(), name);
}
std::optional<std::string_view> UpgradeRequest::cookie(std::string_view name) const {
  return http::find_cookie(head_.fields, name);
}
const std::vector<std::string>& UpgradeRequest::subprotocols() const { return upgrade_.offered_subprotocols; }
std::string UpgradeRequest::remote_address() const { return connection_.remote().to_string(); }
const tls::HandshakeSummary* UpgradeRequest::tls() const {
  return connection_.tls() ? &connection_.tls()->summary() : nullptr;
}
PendingUpgrade UpgradeRequest::defer() const { return PendingUpgrade(&connection_.hub.loop, connection_.id); }

namespace {
void answer(EventLoop* loop, std::uint64_t id, UpgradeDecision decision) {
  if (!loop) return;
  // Posted tasks are copyable; the decision (with its ConnectionData) is not: share it.
  auto shared = std::make_shared<UpgradeDecision>(std::move(decision));
  loop->post([loop, id, shared] {
    if (detail::Connection* connection = loop->hub().find(id)) connection->answer_deferred_upgrade(std::move(*shared));
  });
}
}  // namespace

void PendingUpgrade::accept(UpgradeAccept accept) const { answer(loop_, id_, std::move(accept)); }
void PendingUpgrade::refuse(UpgradeRefusal refusal) const { answer(loop_, id_, std::move(refusal)); }

}  // namespace duplex::net
