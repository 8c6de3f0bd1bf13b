// duplex: run and debug WebSocket and TLS endpoints.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "duplex/crypto/provider.hpp"

namespace {

constexpr const char* kUsage = R"(usage: duplex COMMAND [OPTIONS]

commands:
  serve [--cert FILE --key FILE ...] [--keylog FILE] [--versions 1.2,1.3] | --plain
        [--listen HOST:PORT] [--threads N] [--max-message-bytes N]
        [--handshake-timeout SECONDS] [--idle-timeout SECONDS]
      An HTTPS and wss:// server on our TLS 1.3 and 1.2 (127.0.0.1:8443; a development certificate
      when no --cert/--key is given, see `duplex ca`), or ws:// and http:// with --plain:
      /echo sends every message back, /chat is a room that broadcasts every message to every
      member, / is a page that joins /chat.
  connect ws[s]://HOST:PORT/PATH [--echo] [--subprotocol P] [--header 'N: V'] [--trace]
        [--keylog FILE] [--versions 1.2,1.3]
        [--cafile FILE | --pin-sha256 BASE64 | --insecure-no-verification]
      A client: standard input lines go out as text messages, received messages are
      printed one per line. --echo sends every received message back until the server closes.
      A wss:// server is verified against the system's roots unless told otherwise.
  bench URL [--connections N] [--size BYTES] [--depth D] [--seconds T] [--threads K]
      A load generator for any WebSocket echo server (ws:// or wss://): messages per second
      and latency.
  tls connect HOST:PORT [--servername NAME] [--alpn P1,P2] [--pin-sha256 BASE64 |
        --insecure-no-verification | --cafile FILE] [--keylog FILE] [--trace]
        [--cert FILE --key FILE] [--ciphers ..] [--groups ..] [--key-update]
        [--versions 1.2,1.3] [--legacy-rsa-key-exchange]
      A raw pipe over TLS 1.3 or 1.2 (like openssl s_client): standard input out, what arrives to
      standard output, the handshake summary on standard error.
  tls serve --cert FILE --key FILE [--listen HOST:PORT] [--alpn ...] [--www] [--keylog FILE]
        [--require-client-cert CAFILE | --client-pin-sha256 BASE64] [--trace]
        [--versions 1.2,1.3] [--legacy-rsa-key-exchange]
      A TLS 1.3 and 1.2 server that echoes bytes, or with --www answers GET with the negotiated parameters.
  x509 verify LEAF [--intermediates FILE] [--roots FILE|DIR] [--host NAME | --ip ADDRESS]
        [--time UNIX_SECONDS] [--purpose server|client] [--max-depth N] [--crl FILE] [--explain]
      Builds and checks a certificate path to a trust anchor; prints the path or why it fails.
  x509 show FILE
      Prints the certificates of a PEM or DER file readably.
  ca
      Prints the development CA's path and SPKI SHA-256 (making it on first use) and how to trust it.

  --version   prints duplex's version and the libcrypto it runs on

Run 'duplex COMMAND --help' for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::printf("duplex %s (%s)\n", DUPLEX_VERSION, std::string(duplex::crypto::provider_version()).c_str());
    return 0;
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
