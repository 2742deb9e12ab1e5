#include "harness/progress.h"

#include <chrono>
#include <cstdlib>
#include <unistd.h>

namespace ledgerstress {

bool UseColor(int fd) {
  const char* no = std::getenv("NO_COLOR");
  return isatty(fd) && !(no && *no);
}

ProgressPrinter::ProgressPrinter(std::FILE* out, double plain_interval_seconds)
    : out_(out), tty_(isatty(fileno(out)) != 0), color_(UseColor(fileno(out))),
      interval_(plain_interval_seconds) {}

ProgressPrinter::~ProgressPrinter() { Stop(); }

void ProgressPrinter::Start(std::function<std::string()> line) {
  Stop();
  line_ = std::move(line);
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = true;
  }
  thread_ = std::thread([this] { Loop(); });
}

void ProgressPrinter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return;
    running_ = false;
  }
  cv_.notify_all();
  thread_.join();
  if (tty_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
  }
}

void ProgressPrinter::Println(const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (tty_) std::fputs("\r\033[K", out_);
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

void ProgressPrinter::Loop() {
  const auto period = tty_ ? std::chrono::milliseconds(200)
                           : std::chrono::milliseconds(static_cast<long>(interval_ * 1000));
  std::unique_lock<std::mutex> lock(mu_);
  while (running_) {
    if (cv_.wait_for(lock, period, [this] { return !running_; })) break;
    const std::string text = line_();
    if (tty_) {
      std::fprintf(out_, "\r\033[K%s%s%s", color_ ? "\033[2m" : "", text.c_str(), color_ ? "\033[0m" : "");
    } else {
      std::fprintf(out_, "%s\n", text.c_str());
    }
    std::fflush(out_);
  }
}

}  // namespace ledgerstress
