#include "duplex/http/head.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace duplex::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kHeadEnd = "\r\n\r\n";

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
// "_" / "`" / "|" / "~" / DIGIT / ALPHA
bool is_tchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}


// RFC 9110 §5.5: field-value characters are VCHAR, obs-text (0x80-0xFF), SP and HTAB.
bool is_field_value_char(unsigned char c) { return c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f); }

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && is_ows(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ows(text.back())) text.remove_suffix(1);
  return text;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

HeadError bad(std::string message) { return {400, std::move(message)}; }

// RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive. Only 1.0 and 1.1 are
// spoken here; another well-formed version is 505 (RFC 9110 §15.6.6).
Result<int, HeadError> parse_version(std::string_view text) {
  const bool well_formed = text.size() == 8 && text.substr(0, 5) == "HTTP/" && text[5] >= '0' &&
                           text[5] <= '9' && text[6] == '.' && text[7] >= '0' && text[7] <= '9';
  if (!well_formed) return fail(bad("the HTTP version is malformed"));
  if (text[5] != '1' || (text[7] != '0' && text[7] != '1'))
    return fail(HeadError{505, "HTTP version " + std::string(text.substr(5)) + " is not supported"});
  return text[7] - '0';
}

// Splits the head (ending with CRLF CRLF) into its start line and field lines, and parses the
// field lines into `fields`. Returns the start line.
Result<std::string_view, HeadError> parse_lines(std::span<const std::uint8_t> bytes, Fields& fields) {
  std::string_view head(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (head.size() < kHeadEnd.size() || head.substr(head.size() - kHeadEnd.size()) != kHeadEnd)
    return fail(bad("the head does not end with an empty line"));
  head.remove_suffix(kCrlf.size());  // now every line, the start line included, ends with CRLF

  std::string_view start_line;
  bool first = true;
  while (!head.empty()) {
    const std::size_t end = head.find(kCrlf);
    const std::string_view line = head.substr(0, end);
    head.remove_prefix(end + kCrlf.size());
    // RFC 9112 §2.2: a bare CR or LF is not a line ending here; we reject it outright.
    if (line.find_first_of("\r\n") != std::string_view::npos)
      return fail(bad("the head contains a bare CR or LF"));
    if (first) {
      if (line.empty()) return fail(bad("the start line is empty"));
      start_line = line;
      first = false;
      continue;
    }
    if (line.empty()) return fail(bad("the head contains an empty line before its end"));
    // RFC 9112 §5.2: obs-fold (a line starting with white space) is rejected with 400.
    if (is_ows(line.front())) return fail(bad("obsolete line folding is not allowed"));
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return fail(bad("a field line has no colon"));
    const std::string_view name = line.substr(0, colon);
    // RFC 9112 §5.1: "No whitespace is allowed between the field name and colon" (400).
    if (!name.empty() && is_ows(name.back()))
      return fail(bad("white space between a field name and its colon is not allowed"));
    if (!is_token(name)) return fail(bad("a field name is not a token"));
    const std::string_view value = trim_ows(line.substr(colon + 1));
    for (char c : value)
      if (!is_field_value_char(static_cast<unsigned char>(c)))
        return fail(bad("the value of field " + std::string(name) + " contains a control character"));
    fields.add(std::string(name), std::string(value));
  }
  return start_line;
}

void serialize_fields(const Fields& fields, std::string& out) {
  for (const Field& field : fields.list()) {
    out += field.name;
    out += ": ";
    out += field.value;
    out += kCrlf;
  }
  out += kCrlf;
}

}  // namespace

void Fields::add(std::string name, std::string value) { list_.push_back({std::move(name), std::move(value)}); }

std::optional<std::string> Fields::get(std::string_view name) const {
  std::optional<std::string> joined;
  for (const Field& field : list_) {
    if (!iequals(field.name, name)) continue;
    if (joined) {
      *joined += ", ";
      *joined += field.value;
    } else {
      joined = field.value;
    }
  }
  return joined;
}

std::size_t Fields::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(list_.begin(), list_.end(), [&](const Field& field) { return iequals(field.name, name); }));
}

bool Fields::has_token(std::string_view name, std::string_view token) const {
  for (const Field& field : list_) {
    if (!iequals(field.name, name)) continue;
    std::string_view rest = field.value;
    while (true) {
      const std::size_t comma = rest.find(',');
      if (iequals(trim_ows(rest.substr(0, comma)), token)) return true;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return false;
}

std::optional<std::size_t> find_head_end(std::span<const std::uint8_t> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::size_t at = text.find(kHeadEnd);
  if (at == std::string_view::npos) return std::nullopt;
  return at + kHeadEnd.size();
}

HeadScan scan_head(std::span<const std::uint8_t> bytes, std::size_t max_bytes) {
  if (auto end = find_head_end(bytes.first(std::min(bytes.size(), max_bytes))))
    return {HeadScan::State::complete, *end};
  if (bytes.size() >= max_bytes) return {HeadScan::State::too_large, 0};
  return {HeadScan::State::need_more, 0};
}

// RFC 9112 §3: request-line = method SP request-target SP HTTP-version
Result<RequestHead, HeadError> parse_request_head(std::span<const std::uint8_t> head) {
  RequestHead request;
  auto start = parse_lines(head, request.fields);
  if (!start) return fail(start.error());
  std::string_view line = *start;

  const std::size_t first_space = line.find(' ');
  if (first_space == std::string_view::npos) return fail(bad("the request line is malformed"));
  const std::string_view method = line.substr(0, first_space);
  line.remove_prefix(first_space + 1);
  const std::size_t second_space = line.find(' ');
  if (second_space == std::string_view::npos) return fail(bad("the request line is malformed"));
  const std::string_view target = line.substr(0, second_space);
  const std::string_view version = line.substr(second_space + 1);

  if (!is_token(method)) return fail(bad("the method is not a token"));
  if (target.empty()) return fail(bad("the request target is empty"));
  // RFC 9112 §3.2: the request-target is visible ASCII (RFC 3986 characters), no white space.
  for (char c : target)
    if (c < 0x21 || c > 0x7e) return fail(bad("the request target contains an invalid character"));
  auto minor = parse_version(version);
  if (!minor) return fail(minor.error());

  request.method = std::string(method);
  request.target = std::string(target);
  request.version_minor = *minor;
  // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
  // request message that lacks a Host header field and to any request message that contains more
  // than one Host header field line".
  const std::size_t hosts = request.fields.count("Host");
  if (hosts > 1) return fail(bad("the request has more than one Host field"));
  if (hosts == 0 && request.version_minor == 1) return fail(bad("the request has no Host field"));
  return request;
}

// RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
// Q: may the SP after the status code be missing when there is no reason phrase?
// A: the grammar requires it, but RFC 9112 §4 tells clients to ignore the reason phrase and most
//    clients (curl, browsers, python-websockets) accept "HTTP/1.1 101" alone, so we do too.
Result<ResponseHead, HeadError> parse_response_head(std::span<const std::uint8_t> head) {
  ResponseHead response;
  auto start = parse_lines(head, response.fields);
  if (!start) return fail(start.error());
  std::string_view line = *start;

  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return fail(bad("the status line is malformed"));
  auto minor = parse_version(line.substr(0, space));
  if (!minor) return fail(minor.error());
  line.remove_prefix(space + 1);

  // RFC 9110 §15: a three-digit status code, 100 to 599.
  if (line.size() < 3 || (line.size() > 3 && line[3] != ' ')) return fail(bad("the status code is malformed"));
  int status = 0;
  for (char c : line.substr(0, 3)) {
    if (c < '0' || c > '9') return fail(bad("the status code is malformed"));
    status = status * 10 + (c - '0');
  }
  if (status < 100 || status > 599) return fail(bad("the status code is out of range"));
  const std::string_view reason = line.size() > 3 ? line.substr(4) : std::string_view();
  for (char c : reason)
    if (!is_field_value_char(static_cast<unsigned char>(c)))
      return fail(bad("the reason phrase contains a control character"));

  response.version_minor = *minor;
  response.status = status;
  response.reason = std::string(reason);
  return response;
}

std::string serialize(const RequestHead& head) {
  std::string out = head.method + ' ' + head.target + " HTTP/1." + std::to_string(head.version_minor);
  out += kCrlf;
  serialize_fields(head.fields, out);
  return out;
}

std::string serialize(const ResponseHead& head) {
  std::string out = "HTTP/1." + std::to_string(head.version_minor) + ' ' + std::to_string(head.status) + ' ';
  out += head.reason;
  out += kCrlf;
  serialize_fields(head.fields, out);
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "";
  }
}

bool is_token(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

bool field_names_equal(std::string_view a, std::string_view b) { return iequals(a, b); }

}  // namespace duplex::http
