#include "server/echo/impairment.hpp"

namespace socketlab::server {

impairment::impairment(const impairment_config& config) : config_(config), random_(config.seed) {}

double impairment::uniform() {
  return static_cast<double>(random_() >> 11) * 0x1.0p-53;
}

echo_plan impairment::decide() {
  echo_plan plan;
  // One draw per question, always in this order, so that changing --duplicate does not change
  // which datagrams --drop picks.
  const double drop = uniform();
  const double duplicate = uniform();
  const double reorder = uniform();
  const double jitter = uniform();
  plan.drop = drop < config_.drop;
  plan.copies = duplicate < config_.duplicate ? 2 : 1;
  plan.hold = reorder < config_.reorder;
  plan.delay = config_.delay + std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(
                                   jitter * static_cast<double>(config_.jitter.count() + 1)));
  if (plan.delay > config_.delay + config_.jitter) plan.delay = config_.delay + config_.jitter;
  return plan;
}

}  // namespace socketlab::server
