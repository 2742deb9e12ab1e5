#include "harness/drivers/driver_probe.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "harness/drivers/driver_client.h"
#include "harness/drivers/driver_env.h"
#include "harness/drivers/driver_reply.h"

namespace ledgerstress {
namespace {

using Offer = std::map<std::string, std::vector<std::string>>;

std::string Offered(const Offer& offer) {
  std::string out;
  for (const auto& [op, strategies] : offer) {
    std::string list;
    for (const std::string& s : strategies) list += (list.empty() ? "" : ", ") + ("'" + s + "'");
    out += (out.empty() ? "" : "; ") + op + " (" + list + ")";
  }
  return out;
}

Offer Ask(const DriverSpec& spec, const Target& target, const std::string& app_prefix, const std::string& log_dir) {
  DriverCase c;
  c.spec = &spec;
  c.env = DriverEnvironment(target, SessionSettings::Named(app_prefix + "/driver-probe"), spec);
  c.case_name = "";
  c.log_dir = log_dir + "/probe-" + spec.name;
  c.probe = true;
  std::filesystem::create_directories(c.log_dir);
  DriverClient client(c, 0, app_prefix + "/driver-probe", 0, nullptr);
  client.Start();
  Offer offer = client.offered();
  const int takes = client.offered_concurrency();
  client.Shutdown();
  if (takes < spec.concurrency) throw ScenarioError(spec.concurrency_where + ": " + ConcurrencyShortfall(spec, takes));
  return offer;
}

void CheckCase(const Offer& offer, const DriverSpec& spec, CaseSpec* c) {
  for (auto& [op, strategy] : c->strategies) {
    const auto it = offer.find(op);
    const auto where = c->strategy_where.find(op);
    const std::string at = where != c->strategy_where.end() ? where->second : spec.where;
    if (it == offer.end()) {
      throw ScenarioError(at + ": case '" + c->name + "' calls '" + op + "', which driver '" + spec.name +
                          "' does not offer; it offers: " + Offered(offer));
    }
    if (strategy.empty()) {
      strategy = it->second.front();
    } else if (std::find(it->second.begin(), it->second.end(), strategy) == it->second.end()) {
      throw ScenarioError(at + ": strategy '" + strategy + "' for '" + op + "' is not offered by driver '" +
                          spec.name + "'; it offers: " + Offered(offer));
    }
  }
}

}  // namespace

void ProbeDrivers(const Target& target, const std::string& app_prefix, const std::string& log_dir, Scenario* s) {
  std::map<std::string, Offer> offers;
  for (CaseSpec& c : s->cases) {
    if (!c.driver) continue;
    auto it = offers.find(c.driver->name);
    if (it == offers.end()) it = offers.emplace(c.driver->name, Ask(*c.driver, target, app_prefix, log_dir)).first;
    CheckCase(it->second, *c.driver, &c);
  }
}

void ProbeDriversWithoutServer(Scenario* s) {
  bool any = false;
  for (const CaseSpec& c : s->cases) any = any || c.driver;
  if (!any) return;
  std::string dir = (std::filesystem::temp_directory_path() / "ledgerstress-validate-XXXXXX").string();
  if (!mkdtemp(dir.data())) throw std::runtime_error("cannot create a temporary directory for the driver probe");
  Target none;  // the empty DSN: the drivers see the harness's own environment
  none.source = "validate (no server)";
  try {
    ProbeDrivers(none, "ledgerstress/validate-" + std::to_string(getpid()), dir, s);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    throw;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace ledgerstress
