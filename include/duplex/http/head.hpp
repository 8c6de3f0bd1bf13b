// HTTP/1.1 request and response heads (RFC 9112 §2-§5), enough for the WebSocket upgrade and
// static pages. Sans-I/O: the caller gathers bytes until find_head_end() finds the blank line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"

namespace duplex::http {

// RFC 9110 §5.1: field names are case-insensitive.
bool field_names_equal(std::string_view a, std::string_view b);

struct Field {
  std::string name;   // as received; compared case-insensitively
  std::string value;  // leading and trailing white space removed
};

class Fields {
 public:
  void add(std::string name, std::string value);
  // The value of `name` (case-insensitive). Repeated fields are joined with ", " (RFC 9110 §5.3).
  std::optional<std::string> get(std::string_view name) const;
  std::size_t count(std::string_view name) const;
  // True if `name` holds `token` in its comma-separated list, compared case-insensitively
  // (RFC 9110 §5.6.1), e.g. has_token("Connection", "upgrade") for "keep-alive, Upgrade".
  bool has_token(std::string_view name, std::string_view token) const;
  const std::vector<Field>& list() const { return list_; }

 private:
  std::vector<Field> list_;
};

struct RequestHead {
  std::string method;
  std::string target;
  int version_minor = 1;  // HTTP/1.x
  Fields fields;
};

struct ResponseHead {
  int version_minor = 1;
  int status = 200;
  std::string reason;
  Fields fields;
};

// What went wrong with a head, as the HTTP status a server answers it with (400, 431, 505...).
struct HeadError {
  int status = 400;
  std::string message;
};

// Default bound for a request head: 8 KiB, as most servers use (nginx, Node.js 16 KiB).
inline constexpr std::size_t kDefaultMaxHeadBytes = 8 * 1024;

// If `bytes` holds a complete head, its length including the final CRLF CRLF.
std::optional<std::size_t> find_head_end(std::span<const std::uint8_t> bytes);

// Where a caller stands while gathering a head under a size limit: the runtime answers 431
// (RFC 6585 §5) when no blank line turns up within `max_bytes`.
struct HeadScan {
  enum class State { need_more, complete, too_large };
  State state = State::need_more;
  std::size_t length = 0;  // the head's length when complete
};
// Looks for the head end within the first `max_bytes` of `bytes` only, so a peer cannot make the
// caller buffer more than that.
HeadScan scan_head(std::span<const std::uint8_t> bytes, std::size_t max_bytes = kDefaultMaxHeadBytes);

// Parse one complete head (as measured by find_head_end). Strict: CRLF line endings, tokens for
// method and field names, no obs-fold, no white space before the colon (RFC 9112 §5.1).
// Errors: 505 for a well-formed version other than HTTP/1.0 or HTTP/1.1, 400 for anything else
// (including a request with a missing or repeated Host, RFC 9112 §3.2). A response head uses the
// same statuses to classify what was wrong with it.
Result<RequestHead, HeadError> parse_request_head(std::span<const std::uint8_t> head);
Result<ResponseHead, HeadError> parse_response_head(std::span<const std::uint8_t> head);

// Serialized heads, ending with the blank line.
std::string serialize(const RequestHead& head);
std::string serialize(const ResponseHead& head);

// RFC 9110 §5.6.2: a token is one or more tchar (methods, field names, subprotocol names).
bool is_token(std::string_view text);

// "Not Found" for 404 and the like.
std::string_view reason_phrase(int status);

}  // namespace duplex::http
