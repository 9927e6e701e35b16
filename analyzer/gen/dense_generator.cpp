#include "analyzer/gen/dense_generator.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "analyzer/gen/calendar.h"
#include "analyzer/gen/json_text.h"
#include "analyzer/gen/random.h"
#include "analyzer/gen/world.h"

namespace twinscan::gen {
namespace fs = std::filesystem;

namespace {

/// Stream families of the dense profile (apart from the national profile's).
constexpr std::uint64_t kStreamDenseMunicipality = 128;
constexpr std::uint64_t kStreamDenseFirm = 129;

/// Direct holdings per hub: a hub holds the top firm of about this many groups.
constexpr std::uint32_t kGroupsPerHub = 2000;

std::uint32_t digits(std::uint64_t v) {
  std::uint32_t d = 1;
  while (v >= 10) {
    v /= 10;
    ++d;
  }
  return d;
}

std::string numbered(std::string_view prefix, std::uint64_t n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

/// Writes one document as a single line: the entities and relations are built in
/// memory (a document holds 100,000 entities by default, some 30 MB) and written at
/// once.
class DenseDocument {
 public:
  explicit DenseDocument(std::uint32_t id_width) : json_(id_width) {}

  JsonText& entity(Ref r, std::string_view name) {
    if (entities_++ > 0) entity_text_.push_back(',');
    return json_.begin(entity_text_).id("id", r).str("kind", kind_name(r.kind)).str("name", name);
  }
  JsonText& relation(std::string_view kind, Ref from, Ref to) {
    if (relations_++ > 0) relation_text_.push_back(',');
    return json_.relation(relation_text_, kind, from, to);
  }

  /// Writes the document to `path`; returns its size in bytes.
  std::uint64_t write(const fs::path& path, std::string_view source) const {
    std::string head = "{\"format\":\"twinscan/1\",\"source\":{";
    JsonText::put_string(head, "name");
    head.push_back(':');
    JsonText::put_string(head, source);
    head += ",\"retrieved\":\"2025-01-01\"},\"entities\":[";
    const std::string_view middle = "],\"relations\":[";
    const std::string_view tail = "]}\n";
    std::FILE* f = std::fopen(path.string().c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("cannot write " + path.string());
    bool ok = std::fwrite(head.data(), 1, head.size(), f) == head.size();
    ok = ok && std::fwrite(entity_text_.data(), 1, entity_text_.size(), f) == entity_text_.size();
    ok = ok && std::fwrite(middle.data(), 1, middle.size(), f) == middle.size();
    ok = ok &&
         std::fwrite(relation_text_.data(), 1, relation_text_.size(), f) == relation_text_.size();
    ok = ok && std::fwrite(tail.data(), 1, tail.size(), f) == tail.size();
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) throw std::runtime_error("cannot write " + path.string());
    return head.size() + entity_text_.size() + middle.size() + relation_text_.size() + tail.size();
  }

  [[nodiscard]] std::uint64_t entities() const { return entities_; }
  [[nodiscard]] std::uint64_t relations() const { return relations_; }

 private:
  JsonText json_;
  std::string entity_text_;
  std::string relation_text_;
  std::uint64_t entities_ = 0;
  std::uint64_t relations_ = 0;
};

/// Writes the dense registry's parts: the national organs and hubs, then each
/// municipality with its 9 entities (the municipality, its twin city, an agreement,
/// a project, a person and 4 firms) and their relations.
class DenseEmitter {
 public:
  DenseEmitter(std::uint64_t seed, const DenseShape& shape) : seed_(seed), shape_(shape) {}

  void globals(DenseDocument& doc) const {
    doc.entity({Kind::kAuthority, 0}, "Ministry of Foreign Affairs").str("country", "IL").end();
    doc.entity({Kind::kAuthority, 1}, "Ministry of Interior").str("country", "IL").end();
    national(doc, 0, "Central Committee of the Communist Party of China", "party");
    national(doc, 1, "State Council of the People's Republic of China", "state");
    national(doc, 2, "United Front Work Department", "united_front");
    doc.relation("CONTROLLED_BY", {Kind::kGovernment, 1}, {Kind::kGovernment, 0}).end();
    doc.relation("CONTROLLED_BY", {Kind::kGovernment, 2}, {Kind::kGovernment, 0}).end();
    for (std::uint32_t h = 0; h < shape_.hubs; ++h) {
      const bool party = h % 2 == 1;
      const Ref self = hub(h);
      doc.entity(self, numbered(party ? "Provincial Party Committee "
                                      : "Provincial State Assets "
                                        "Commission ",
                                h / 2 + 1))
          .str("country", "CN")
          .str("level", "provincial")
          .str("organ", party ? "party" : "state")
          .end();
      doc.relation("CONTROLLED_BY", self, {Kind::kGovernment, party ? 0u : 1u}).end();
    }
  }

  void extra_person(DenseDocument& doc, std::uint32_t p) const {
    doc.entity({Kind::kPerson, p}, numbered("Resident ", p)).str("nationality", "IL").end();
  }

  void municipality(DenseDocument& doc, std::uint32_t m) const {
    Rng rng(seed_, kStreamDenseMunicipality, m);
    const Ref mun{Kind::kMunicipality, m};
    const Ref city{Kind::kCity, m};
    const Ref agr{Kind::kAgreement, m};
    const Ref proj{Kind::kProject, m};
    const Ref person{Kind::kPerson, m};
    const Geo at{295500 + static_cast<std::int32_t>(rng.below(37000)),
                 343000 + static_cast<std::int32_t>(rng.below(13000))};
    const bool cn = rng.chance(0.7);

    doc.entity(mun, numbered("Dense Town ", m)).str("country", "IL").location(at).end();
    doc.entity(city, numbered(cn ? "Dense Twin City CN-" : "Dense Twin City DE-", m))
        .str("country", cn ? "CN" : "DE")
        .str("level", "city")
        .end();
    if (cn) doc.relation("CONTROLLED_BY", city, hub(m % shape_.hubs)).end();

    // The twinning and its agreement.
    const std::int32_t since =
        days_from_civil(static_cast<int>(rng.range(2005, 2023)), static_cast<int>(rng.range(1, 12)),
                        static_cast<int>(rng.range(1, 28)));
    static constexpr std::string_view kAllRegisters[] = {"foreign_ministry", "municipality"};
    const bool in_register = rng.chance(0.9);
    doc.relation("TWINNED_WITH", mun, city)
        .date("since", since)
        .strings("recorded_by", std::span<const std::string_view>(
                                    kAllRegisters + (in_register ? 0 : 1), in_register ? 2 : 1))
        .end();
    const bool twinning = rng.chance(0.5);
    const bool confidential = rng.chance(0.1);
    std::array<std::string_view, 1> clauses{"confidentiality"};
    doc.entity(agr, numbered(twinning ? "Twinning agreement " : "Memorandum of understanding ", m))
        .str("type", twinning ? "twinning" : "mou")
        .date("signed_on", since)
        .str("status", "active")
        .strings("clauses", std::span<const std::string_view>(clauses.data(), confidential ? 1 : 0))
        .end();
    doc.relation("PARTY_TO", mun, agr).str("role", "signatory").end();
    const std::uint32_t party_draw = rng.below(100);
    if (party_draw < 3) {
      doc.relation("PARTY_TO", {Kind::kGovernment, 1}, agr).str("role", "signatory").end();
    } else {
      doc.relation("PARTY_TO", city, agr).str("role", "signatory").end();
      if (party_draw < 8) {
        doc.relation("PARTY_TO", {Kind::kGovernment, 2}, agr).str("role", "facilitator").end();
      }
    }
    const std::uint32_t notice = rng.below(100);
    if (notice < 80) {
      doc.relation("NOTIFIED", agr, {Kind::kAuthority, 0}).date("on", since + 10).end();
    } else if (notice < 90) {
      doc.relation("NOTIFIED", agr, {Kind::kAuthority, 1}).date("on", since + 200).end();
    }
    doc.relation("CONCERNS", agr, proj).end();

    // The project, bid on and built by the municipality's last firm.
    static constexpr std::string_view kSectors[] = {"port",   "rail",        "telecom",
                                                    "energy", "real_estate", "culture"};
    const std::string_view sector = kSectors[rng.below(std::size(kSectors))];
    const bool awarded = rng.chance(0.5);
    const std::int32_t started = since + static_cast<std::int32_t>(rng.range(60, 900));
    doc.entity(proj, numbered("Dense project ", m))
        .str("sector", sector)
        .str("status", awarded ? "awarded" : "tendered")
        .date("started", started)
        .location({at.lat + static_cast<std::int32_t>(rng.below(200)), at.lon})
        .end();
    doc.relation("LOCATED_IN", proj, mun).end();
    const Ref bidder{Kind::kFirm, m * 4 + 3};
    doc.relation("BIDDER_ON", bidder, proj).date("on", started - 30).boolean("won", awarded).end();
    if (awarded) doc.relation("CONTRACTOR_OF", bidder, proj).date("on", started).end();

    // The person: a former mayor, who in one case in 20 now represents the twin
    // city without saying so.
    const std::int32_t until = since + static_cast<std::int32_t>(rng.range(100, 1500));
    doc.entity(person, numbered("Former mayor ", m)).str("nationality", "IL").end();
    doc.relation("HELD_OFFICE", person, mun)
        .str("role", "mayor")
        .date("since", since - 1000)
        .date("until", until)
        .end();
    if (rng.chance(0.05)) {
      doc.relation("REPRESENTS", person, city)
          .str("role", "agent")
          .boolean("disclosed", false)
          .date("since", until + 30)
          .end();
    }

    for (std::uint32_t k = 0; k < 4; ++k) firm(doc, m * 4 + k, mun);
  }

 private:
  [[nodiscard]] static Ref hub(std::uint32_t h) {
    return {Kind::kGovernment, kDenseNationalOrgans + h};
  }

  static void national(DenseDocument& doc, std::uint32_t g, std::string_view name,
                       std::string_view organ) {
    doc.entity({Kind::kGovernment, g}, name)
        .str("country", "CN")
        .str("level", "national")
        .str("organ", organ)
        .end();
  }

  /// Firm f is link f % 6 of ownership group f / 6: the group's top firm is held by
  /// a hub, every other firm by the one before it, so the group's last firm is 6
  /// OWNED_BY steps from the hub. Every second group's last firm is also held by its
  /// third firm (two paths), every tenth group records one link twice, and one group
  /// in 25 closes a cycle: its top firm is also held by its last.
  void firm(DenseDocument& doc, std::uint32_t f, Ref mun) const {
    Rng rng(seed_, kStreamDenseFirm, f);
    const Ref self{Kind::kFirm, f};
    const std::uint32_t group = f / kDenseGroupDepth;
    const std::uint32_t link = f % kDenseGroupDepth;
    static constexpr std::string_view kSectors[] = {"construction", "engineering", "holding",
                                                    "telecom", "port"};
    doc.entity(self, numbered("Dense Holding ", f))
        .str("country", "CN")
        .str("sector", kSectors[rng.below(std::size(kSectors))])
        .boolean("state_owned", link == 0)
        .end();
    if (link % 3 == 0) doc.relation("LOCATED_IN", self, mun).end();
    const auto share = [&rng](std::uint32_t low) {
      return static_cast<std::int64_t>(low + rng.below((1000 - low) / 5 + 1) * 5);
    };
    if (link == 0) {
      doc.relation("OWNED_BY", self, hub(group % shape_.hubs)).fixed("share", share(600), 3).end();
    } else {
      const Ref parent{Kind::kFirm, f - 1};
      const std::int64_t s = share(550);
      if (link == 3 && group % 10 == 3) {
        // The same holding recorded twice, as two relations (each with an id of its
        // own, so that the loader keeps both).
        for (const char* copy : {"a", "b"}) {
          doc.relation("OWNED_BY", self, parent)
              .str("id", numbered("own:", f) + copy)
              .fixed("share", s, 3)
              .end();
        }
      } else {
        doc.relation("OWNED_BY", self, parent).fixed("share", s, 3).end();
      }
    }
    if (link == 5 && group % 2 == 0) {
      doc.relation("OWNED_BY", self, {Kind::kFirm, f - 3}).fixed("share", 100, 3).end();
    }
    if (link == 0 && group % 25 == 7 && f + 5 < shape_.firms()) {
      doc.relation("OWNED_BY", self, {Kind::kFirm, f + 5}).fixed("share", 50, 3).end();
    }
  }

  std::uint64_t seed_;
  DenseShape shape_;
};

}  // namespace

DenseShape dense_shape(std::uint64_t entities) {
  DenseShape s;
  const std::uint64_t fixed = kDenseAuthorities + kDenseNationalOrgans;
  const std::uint64_t first = (entities - fixed) / 9;
  const std::uint64_t groups = (first * 4 + kDenseGroupDepth - 1) / kDenseGroupDepth;
  s.hubs = static_cast<std::uint32_t>(std::max<std::uint64_t>(2, groups / kGroupsPerHub));
  const std::uint64_t rest = entities - fixed - s.hubs;
  s.municipalities = static_cast<std::uint32_t>(rest / 9);
  s.extra_persons = static_cast<std::uint32_t>(rest % 9);
  return s;
}

void write_dense_documents(const GeneratorOptions& options, std::uint32_t documents,
                           const fs::path& dir, std::vector<fs::path>& written,
                           GeneratorProgress& state, const ProgressFn& progress) {
  const DenseShape shape = dense_shape(options.entities);
  const std::uint32_t width = std::max<std::uint32_t>(6, digits(shape.firms()));
  const DenseEmitter emitter(options.seed, shape);
  for (std::uint32_t d = 0; d < documents; ++d) {
    DenseDocument doc(width);
    if (d == 0) emitter.globals(doc);
    const auto first =
        static_cast<std::uint32_t>(std::uint64_t{shape.municipalities} * d / documents);
    const auto last =
        static_cast<std::uint32_t>(std::uint64_t{shape.municipalities} * (d + 1) / documents);
    for (std::uint32_t m = first; m < last; ++m) emitter.municipality(doc, m);
    if (d + 1 == documents) {
      for (std::uint32_t p = 0; p < shape.extra_persons; ++p) {
        emitter.extra_person(doc, shape.municipalities + p);
      }
    }
    const std::string name = document_name(d, documents);
    const fs::path temp = dir / ("." + name + ".part");
    const std::string source = "Twinscan synthetic registry, dense profile (seed " +
                               std::to_string(options.seed) + ", " +
                               std::to_string(options.entities) + " entities), document " +
                               std::to_string(d + 1) + " of " + std::to_string(documents);
    written.push_back(temp);
    state.bytes += doc.write(temp, source);
    state.entities += doc.entities();
    state.relations += doc.relations();
    state.documents_done = d + 1;
    state.file = (dir / name).string();
    if (progress) progress(state);
  }
}

}  // namespace twinscan::gen
