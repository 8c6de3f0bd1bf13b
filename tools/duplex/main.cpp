// duplex: run and debug WebSocket (and, with later issues, TLS) endpoints.
#include <cstdio>
#include <string_view>
#include <vector>

#include "commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: duplex COMMAND [OPTIONS]

commands:
  serve --plain [--listen HOST:PORT] [--threads N] [--max-message-bytes N]
        [--handshake-timeout SECONDS] [--idle-timeout SECONDS]
      A ws:// server: /echo sends every message back, /chat is a room that broadcasts
      every message to every member, / is a page that joins /chat.
  connect URL [--echo] [--subprotocol P]
      A client: standard input lines go out as text messages, received messages are
      printed one per line. --echo sends every received message back until the server closes.
  bench URL [--connections N] [--size BYTES] [--depth D] [--seconds T] [--threads K]
      A load generator for any WebSocket echo server: messages per second and latency.
  tls connect HOST:PORT [--servername NAME] [--alpn P1,P2] [--pin-sha256 BASE64 |
        --insecure-no-verification | --cafile FILE] [--keylog FILE] [--trace]
      A raw pipe over TLS 1.3 (like openssl s_client): standard input out, what arrives to
      standard output, the handshake summary on standard error.
  tls serve --cert FILE --key FILE [--listen HOST:PORT] [--alpn ...] [--www] [--keylog FILE]
      A TLS 1.3 server that echoes bytes, or with --www answers GET with the negotiated parameters.
  x509 verify LEAF [--intermediates FILE] [--roots FILE|DIR] [--host NAME | --ip ADDRESS]
        [--time UNIX_SECONDS] [--purpose server|client] [--max-depth N] [--crl FILE] [--explain]
      Builds and checks a certificate path to a trust anchor; prints the path or why it fails.
  x509 show FILE
      Prints the certificates of a PEM or DER file readably.
  ca
      Prints the development CA's path and SPKI SHA-256 (making it on first use) and how to trust it.

Run 'duplex COMMAND --help' for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string_view command = args[0];
  const std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
  if (command == "serve") return duplex::tool::run_serve(rest);
  if (command == "connect") return duplex::tool::run_connect(rest);
  if (command == "bench") return duplex::tool::run_bench(rest);
  if (command == "tls") return duplex::tool::run_tls(rest);
  if (command == "x509") return duplex::tool::run_x509(rest);
  if (command == "ca") return duplex::tool::run_ca(rest);
  std::fprintf(stderr, "duplex: unknown command '%.*s'\n\n%s", static_cast<int>(command.size()),
               command.data(), kUsage);
  return 2;
}
