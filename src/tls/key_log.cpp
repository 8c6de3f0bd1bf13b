#include "duplex/tls/key_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace duplex::tls {

namespace {

// One open key log file; lines from every connection (and thread) are appended whole.
class KeyLogFile {
 public:
  explicit KeyLogFile(int fd) : fd_(fd) {}
  ~KeyLogFile() { ::close(fd_); }
  KeyLogFile(const KeyLogFile&) = delete;
  KeyLogFile& operator=(const KeyLogFile&) = delete;

  void write_line(std::string_view line) {
    std::string text(line);
    text.push_back('\n');
    const std::lock_guard lock(mutex_);
    std::size_t written = 0;
    while (written < text.size()) {
      const ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // a full disk loses key log lines, never the connection
      written += static_cast<std::size_t>(n);
    }
  }

 private:
  int fd_;
  std::mutex mutex_;
};

}  // namespace

KeyLogSink open_key_log_file(const std::string& path, std::string* error) {
  // Secrets: readable by the owner only.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (error) *error = "cannot open the key log file " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  auto file = std::make_shared<KeyLogFile>(fd);
  return [file](std::string_view line) { file->write_line(line); };
}

KeyLogSink key_log_from_environment() {
  static const KeyLogSink sink = [] {
    const char* path = std::getenv("SSLKEYLOGFILE");
    if (path == nullptr || *path == '\0') return KeyLogSink{};
    std::string error;
    KeyLogSink opened = open_key_log_file(path, &error);
    if (!opened)
      std::fprintf(stderr, "duplex: SSLKEYLOGFILE is set but %s\n", error.c_str());
    else
      std::fprintf(stderr, "duplex: SSLKEYLOGFILE is set: TLS secrets are being written to %s\n", path);
    return opened;
  }();
  return sink;
}

}  // namespace duplex::tls
