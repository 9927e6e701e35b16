// A registry of cross-holdings for tests of ownership chains: firms that each hold every
// other, as groups of state firms and keiretsu do.
#pragma once

#include <string>

namespace twinscan::testing {

/// `k` firms (firm:0 ..), each held by every other with `share`; firm:0 also held 0.5 by
/// gov:cn. Between two of them there are millions of chains once k passes ten.
inline std::string clique_registry(int k, double share) {
  std::string entities =
      R"({"id": "gov:cn", "kind": "ForeignGovernment", "name": "State", "country": "CN"})";
  std::string relations = R"({"kind": "OWNED_BY", "from": "firm:0", "to": "gov:cn", "share": 0.5})";
  for (int i = 0; i < k; ++i) {
    entities += R"(,{"id": "firm:)" + std::to_string(i) + R"(", "kind": "Firm", "name": "F)" +
                std::to_string(i) + R"("})";
    for (int j = 0; j < k; ++j) {
      if (i == j) continue;
      relations += R"(,{"kind": "OWNED_BY", "from": "firm:)" + std::to_string(i) +
                   R"(", "to": "firm:)" + std::to_string(j) + R"(", "share": )" +
                   std::to_string(share) + "}";
    }
  }
  return R"({"format": "twinscan/1", "entities": [)" + entities + R"(], "relations": [)" +
         relations + "]}";
}

}  // namespace twinscan::testing
