#include "harness/faults/pg_wire.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace ledgerstress {
namespace pgwire {

FirstPacket ClassifyFirstPacket(std::uint32_t code) {
  switch (code) {
    case kCancelRequestCode: return FirstPacket::kCancel;
    case kSslRequestCode: return FirstPacket::kSslRequest;
    case kGssEncRequestCode: return FirstPacket::kGssEncRequest;
    default: return (code >> 16) == kProtocolMajor3 ? FirstPacket::kStartup : FirstPacket::kUnknown;
  }
}

std::uint32_t ReadUint32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
}

namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string> LowerWords(std::string_view s) {
  std::vector<std::string> words;
  std::string word;
  for (char c : s) {
    if (IsSpace(c)) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace

bool IsCommitQuery(std::string_view query) {
  query = Trim(query);
  if (!query.empty() && query.back() == ';') query = Trim(query.substr(0, query.size() - 1));
  const std::vector<std::string> w = LowerWords(query);
  if (w.empty() || (w[0] != "commit" && w[0] != "end")) return false;
  return w.size() == 1 || (w.size() == 2 && (w[1] == "work" || w[1] == "transaction"));
}

bool MessageFramer::Feed(std::string_view bytes, Sink* sink) {
  while (!bytes.empty()) {
    if (!in_payload_) {
      const std::size_t take = std::min(bytes.size(), 5 - header_.size());
      header_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (header_.size() < 5) return true;
      const std::uint32_t length = ReadUint32(header_.data() + 1);
      if (length < 4) return false;
      remaining_ = length - 4;
      in_payload_ = true;
      sink->Start(header_[0], remaining_, header_);
      header_.clear();
    }
    const std::size_t take = std::min<std::size_t>(bytes.size(), remaining_);
    if (take > 0) sink->Payload(bytes.substr(0, take));
    bytes.remove_prefix(take);
    remaining_ -= static_cast<std::uint32_t>(take);
    if (remaining_ == 0) {
      in_payload_ = false;
      sink->End();
    }
  }
  return true;
}

}  // namespace pgwire
}  // namespace ledgerstress
