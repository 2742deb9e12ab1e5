#ifndef LEDGERSTRESS_HARNESS_PROGRESS_H_
#define LEDGERSTRESS_HARNESS_PROGRESS_H_

#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace ledgerstress {

// Prints a progress line on a stream (stderr) while work runs. On a TTY the
// line is redrawn in place every 200 ms; otherwise a plain line is written
// every `plain_interval_seconds`. Colour only on a TTY and when NO_COLOR is
// unset. Not for use from several threads.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(std::FILE* out, double plain_interval_seconds = 5.0);
  ~ProgressPrinter();

  // Starts calling `line` periodically and printing what it returns.
  void Start(std::function<std::string()> line);
  // Stops, erasing the live line on a TTY.
  void Stop();

  // A permanent line (case started, case finished), above the live line.
  void Println(const std::string& text);

  bool tty() const { return tty_; }
  bool color() const { return color_; }

 private:
  void Loop();

  std::FILE* out_;
  bool tty_;
  bool color_;
  double interval_;
  std::function<std::string()> line_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool running_ = false;  // GUARDED_BY(mu_)
};

// True when stdout/stderr should carry ANSI colour: `fd` is a TTY and
// NO_COLOR is unset or empty.
bool UseColor(int fd);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PROGRESS_H_
