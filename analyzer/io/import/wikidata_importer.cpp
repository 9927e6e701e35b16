// `twinscan import wikidata`: SPARQL JSON results (application/sparql-results+json) of
// Wikidata's twinned administrative bodies (P190), read with RapidJSON's SAX reader so
// that a large result streams. docs/import.md gives the query and the rules.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "analyzer/io/import/importer.h"
#include "analyzer/util/bounded_json.h"

namespace twinscan::imports {
namespace {

/// The variables read; any other variable of the result is ignored.
enum Var : std::uint8_t {
  kItem,
  kItemLabel,
  kTwin,
  kTwinLabel,
  kItemCountry,
  kTwinCountry,
  kStart,
  kEnd,
  kItemCoord,
  kTwinCoord,
  kStartPrecision,
  kEndPrecision,
  kVarCount,
  kNoVar = kVarCount
};
constexpr std::array<const char*, kVarCount> kVarNames = {
    "item",  "itemLabel", "twin",      "twinLabel", "itemCountry",    "twinCountry",
    "start", "end",       "itemCoord", "twinCoord", "startPrecision", "endPrecision"};

Var var_of(std::string_view name) {
  for (std::size_t i = 0; i < kVarNames.size(); ++i) {
    if (name == kVarNames[i]) return static_cast<Var>(i);
  }
  return kNoVar;
}

/// One bound value of a row: {"type", "value", "xml:lang", "datatype"}.
struct Term {
  bool bound = false;
  std::string value;
  std::string lang;
  std::string type;
  std::size_t offset = 0;  ///< where the term's object starts in the input
};

struct Row {
  std::array<Term, kVarCount> terms;
  std::size_t offset = 0;
};

/// Wikidata's "unknown value" (a statement that some value exists, not which): a blank
/// node in older results, an IRI under /.well-known/genid/ since 2019.
bool unknown_value(const Term& term) {
  return term.bound &&
         (term.type == "bnode" || term.value.find("/.well-known/genid/") != std::string::npos);
}

/// Whether a WKT literal is on the Earth: without a reference system, or with Wikidata's
/// Earth (Q2) or WGS 84's; coordinates on another globe (the Moon, Mars) are not.
bool on_earth(std::string_view wkt) {
  if (wkt.empty() || wkt.front() != '<') return true;
  const auto close = wkt.find('>');
  if (close == std::string_view::npos) return true;
  const std::string_view crs = wkt.substr(1, close - 1);
  return crs == "http://www.wikidata.org/entity/Q2" ||
         crs.find("opengis.net/def/crs/") != std::string_view::npos;
}

/// A city as the rows describe it, merged across rows.
struct City {
  std::string name;
  std::vector<std::string> aliases;
  std::vector<std::string> countries;
  double lat = 0;
  double lon = 0;
  bool located = false;
  bool item = false;  ///< appears as an item (a declaring side)
};

struct Tie {
  std::string from;
  std::string to;
  std::string since;
  std::string until;
};

/// `wd:Q64` from `http://www.wikidata.org/entity/Q64` (or `wd:Q64`, `Q64`); empty when
/// the text names no Wikidata item.
std::string item_id(std::string_view text) {
  const auto slash = text.rfind('/');
  if (slash != std::string_view::npos) text.remove_prefix(slash + 1);
  if (text.substr(0, 3) == "wd:") text.remove_prefix(3);
  if (text.size() < 2 || text[0] != 'Q') return {};
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return {};
  }
  return "wd:" + std::string(text);
}

/// Parses WKT `Point(lon lat)`; false when it is not one.
bool parse_point(std::string_view text, double& lat, double& lon) {
  // An optional CRS prefix ("<http://www.opengis.net/def/crs/…> Point(…)").
  const auto p = text.find("Point(");
  if (p == std::string_view::npos) return false;
  std::string_view inner = text.substr(p + 6);
  const auto close = inner.find(')');
  if (close == std::string_view::npos) return false;
  if (inner.find_first_not_of(' ', close + 1) != std::string_view::npos) return false;
  inner = inner.substr(0, close);
  // Two plain decimals between spaces: "34.95 32.79".
  auto next_word = [&inner] {
    const auto start = inner.find_first_not_of(' ');
    if (start == std::string_view::npos) return std::string_view();
    const auto stop = inner.find(' ', start);
    const std::string_view word = inner.substr(start, stop - start);
    inner = stop == std::string_view::npos ? std::string_view() : inner.substr(stop);
    return word;
  };
  if (!parse_plain_decimal(next_word(), lon) || !parse_plain_decimal(next_word(), lat)) {
    return false;
  }
  if (!next_word().empty()) return false;
  return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

/// A Wikidata time as an ISO date of its precision: with a precision variable (9 year,
/// 10 month, 11 day or finer) as that says; without, a date on January 1st is a year
/// (Wikidata gives year-precision values as YYYY-01-01) and any other a day. Empty when
/// the text is not a date (or is before year 1).
std::string wikidata_date(std::string_view value, const Term& precision) {
  const std::string day = iso_date_prefix(value);
  if (day.size() != 10) return day;  // already a year or a month, or nothing
  if (precision.bound) {
    const long p = std::strtol(precision.value.c_str(), nullptr, 10);
    if (p <= 9) return day.substr(0, 4);
    if (p == 10) return day.substr(0, 7);
    return day;
  }
  if (day.compare(4, 6, "-01-01") == 0) return day.substr(0, 4);
  return day;
}

/// The SAX handler: follows results.bindings[*] and hands each row over when it closes.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
 public:
  enum class Role : std::uint8_t { kTop, kHead, kResults, kBindings, kRow, kTerm, kOther };

  template <typename OnRow>
  explicit Handler(OnRow&& on_row) : on_row_(std::forward<OnRow>(on_row)) {}

  /// The stream read, and where in the input it starts (past a byte order mark).
  void set_stream(const rapidjson::MemoryStream* stream, std::size_t base) {
    stream_ = stream;
    base_ = base;
  }

  bool Default() {
    after_value();
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    if (!stack_.empty() && stack_.back() == Role::kRow && var_ != kNoVar) {
      // The query service's plain "JSON file" download: a row maps each variable to its
      // value as text, without type or language (an IRI is told by its scheme).
      Term& term = row_.terms[var_];
      const std::string_view v(text, length);
      term.bound = true;
      term.value.assign(v);
      term.type = v.starts_with("http://") || v.starts_with("https://") ? "uri" : "literal";
      term.offset = row_.offset;
    }
    if (!stack_.empty() && stack_.back() == Role::kTerm && var_ != kNoVar) {
      Term& term = row_.terms[var_];
      const std::string_view v(text, length);
      if (key_ == "value") {
        term.value.assign(v);
      } else if (key_ == "xml:lang") {
        term.lang.assign(v);
      } else if (key_ == "type") {
        term.type.assign(v);
      }
    }
    after_value();
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    key_.assign(text, length);
    if (!stack_.empty() && stack_.back() == Role::kRow) var_ = var_of(key_);
    return true;
  }
  bool StartObject() {
    const std::size_t at = stream_ ? base_ + stream_->Tell() - 1 : 0;
    Role role = Role::kOther;
    if (stack_.empty()) {
      role = Role::kTop;
      top_is_object_ = true;
    } else if (stack_.back() == Role::kTop && key_ == "head") {
      role = Role::kHead;
    } else if (stack_.back() == Role::kTop && key_ == "results") {
      role = Role::kResults;
    } else if (stack_.back() == Role::kBindings) {
      role = Role::kRow;
      for (auto& term : row_.terms) {
        term.bound = false;
        term.value.clear();
        term.lang.clear();
        term.type.clear();
      }
      row_.offset = at;
    } else if (stack_.back() == Role::kRow && var_ != kNoVar) {
      role = Role::kTerm;
      row_.terms[var_].bound = true;
      row_.terms[var_].offset = at;
    }
    stack_.push_back(role);
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    const Role role = stack_.back();
    stack_.pop_back();
    if (role == Role::kRow) {
      ++rows_;
      on_row_(row_);
    }
    after_value();
    return true;
  }
  bool StartArray() {
    if (stack_.empty()) {
      // The plain download: the rows themselves, one object each.
      top_is_array_ = true;
      bindings_ = true;
      stack_.push_back(Role::kBindings);
      return true;
    }
    stack_.push_back(stack_.back() == Role::kResults && key_ == "bindings" ? Role::kBindings
                                                                           : Role::kOther);
    if (stack_.back() == Role::kBindings) bindings_ = true;
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    stack_.pop_back();
    after_value();
    return true;
  }

  [[nodiscard]] bool saw_bindings() const { return bindings_; }
  [[nodiscard]] bool top_is_array() const { return top_is_array_; }
  [[nodiscard]] bool top_is_object() const { return top_is_object_; }
  [[nodiscard]] std::size_t rows() const { return rows_; }

 private:
  void after_value() {
    if (!stack_.empty() && stack_.back() == Role::kRow) var_ = kNoVar;
  }

  std::function<void(const Row&)> on_row_;
  const rapidjson::MemoryStream* stream_ = nullptr;
  std::size_t base_ = 0;
  std::vector<Role> stack_;
  std::string key_;
  Var var_ = kNoVar;
  Row row_;
  bool bindings_ = false;
  bool top_is_array_ = false;
  bool top_is_object_ = false;
  std::size_t rows_ = 0;
};

class WikidataImporter : public Importer {
 public:
  void read(const std::string& path, ImportContext& ctx) override;
  void finish(ImportContext& ctx) override;

 private:
  void row(const Row& r, OffsetLocator& locator, ImportContext& ctx);
  City& city(const std::string& id);
  void label(City& c, const Term& t, const std::string& id);

  std::unordered_map<std::string, std::size_t> city_index_;
  std::vector<std::pair<std::string, City>> cities_;
  std::unordered_map<std::string, std::size_t> tie_index_;
  std::vector<Tie> ties_;
};

City& WikidataImporter::city(const std::string& id) {
  const auto [it, fresh] = city_index_.try_emplace(id, cities_.size());
  if (fresh) cities_.emplace_back(id, City{});
  return cities_[it->second].second;
}

void WikidataImporter::label(City& c, const Term& t, const std::string& id) {
  if (!t.bound || t.value.empty()) return;
  // The label service gives the bare Q-number when an item has no label in the
  // languages asked for: that is no name.
  if (t.value == std::string_view(id).substr(3)) return;
  if (c.name.empty()) {
    c.name = t.value;
    return;
  }
  if (t.value == c.name) return;
  for (const auto& a : c.aliases) {
    if (a == t.value) return;
  }
  c.aliases.push_back(t.value);
}

void WikidataImporter::row(const Row& r, OffsetLocator& locator, ImportContext& ctx) {
  ctx.progress(r.offset);
  const std::size_t errors_before = ctx.error_count();
  ctx.begin_record(locator.locate(r.offset));
  const auto& t = r.terms;
  std::string ids[2];
  const Var id_vars[2] = {kItem, kTwin};
  const char* unknown_end = nullptr;  // an end that is Wikidata's "unknown value"
  for (int side = 0; side < 2; ++side) {
    const Term& term = t[id_vars[side]];
    if (unknown_value(term)) {
      unknown_end = kVarNames[id_vars[side]];
      continue;
    }
    if (!term.bound) {
      ctx.error(locator.locate(r.offset),
                std::string("the row has no '") + kVarNames[id_vars[side]] +
                    "'; select ?item and ?twin (see docs/import.md for the query)");
      continue;
    }
    ids[side] = item_id(term.value);
    if (ids[side].empty()) {
      ctx.error(locator.locate(term.offset), std::string("'") + kVarNames[id_vars[side]] +
                                                 "' is '" + term.value +
                                                 "', not a Wikidata item (…/entity/Q…)");
    }
  }
  std::string countries[2];
  const Var country_vars[2] = {kItemCountry, kTwinCountry};
  for (int side = 0; side < 2; ++side) {
    const Term& term = t[country_vars[side]];
    if (unknown_value(term)) {
      if (unknown_end == nullptr) {
        ctx.skip(std::string("'unknown value' of '") + kVarNames[country_vars[side]] +
                 "' (the row is kept without it)");
      }
      continue;
    }
    if (!term.bound || term.value.empty()) continue;
    std::string code = term.value;
    const auto slash = code.rfind('/');  // tolerate a bare alpha-2 at the end of a URI
    if (slash != std::string::npos) code.erase(0, slash + 1);
    bool ok = code.size() == 2;
    for (auto& ch : code) {
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      ok = ok && ch >= 'A' && ch <= 'Z';
    }
    if (!ok) {
      ctx.error(locator.locate(term.offset),
                std::string("'") + kVarNames[country_vars[side]] + "' is '" + term.value +
                    "', not an ISO 3166-1 alpha-2 code; select the country's P297");
      continue;
    }
    countries[side] = code;
  }
  double lat[2] = {0, 0};
  double lon[2] = {0, 0};
  bool located[2] = {false, false};
  const Var coord_vars[2] = {kItemCoord, kTwinCoord};
  for (int side = 0; side < 2; ++side) {
    const Term& term = t[coord_vars[side]];
    if (unknown_value(term)) {
      if (unknown_end == nullptr) {
        ctx.skip(std::string("'unknown value' of '") + kVarNames[coord_vars[side]] +
                 "' (the row is kept without it)");
      }
      continue;
    }
    if (!term.bound || term.value.empty()) continue;
    if (!on_earth(term.value)) {
      if (unknown_end != nullptr) continue;
      ctx.skip(std::string("'") + kVarNames[coord_vars[side]] +
               "' on another globe than the Earth (the row is kept without it)");
      continue;
    }
    if (!parse_point(term.value, lat[side], lon[side])) {
      ctx.error(locator.locate(term.offset), std::string("'") + kVarNames[coord_vars[side]] +
                                                 "' is '" + term.value +
                                                 "', not a WKT point 'Point(LON LAT)' in degrees");
      continue;
    }
    located[side] = true;
  }
  std::string since;
  std::string until;
  for (const Var v : {kStart, kEnd}) {
    if (unknown_value(t[v]) && unknown_end == nullptr) {
      ctx.skip(std::string("'unknown value' of '") + kVarNames[v] +
               "' (the row is kept without it)");
    }
  }
  if (t[kStart].bound && !t[kStart].value.empty() && !unknown_value(t[kStart])) {
    since = wikidata_date(t[kStart].value, t[kStartPrecision]);
    if (since.empty()) {
      ctx.error(locator.locate(t[kStart].offset),
                "'start' is '" + t[kStart].value + "', not a date (YYYY-MM-DDThh:mm:ssZ)");
    }
  }
  if (t[kEnd].bound && !t[kEnd].value.empty() && !unknown_value(t[kEnd])) {
    until = wikidata_date(t[kEnd].value, t[kEndPrecision]);
    if (until.empty()) {
      ctx.error(locator.locate(t[kEnd].offset),
                "'end' is '" + t[kEnd].value + "', not a date (YYYY-MM-DDThh:mm:ssZ)");
    }
  }
  const bool bad = ctx.error_count() != errors_before;
  ctx.end_record();
  if (bad) return;
  if (unknown_end != nullptr) {  // a tie with a city no one can name
    ctx.skip(std::string("rows whose '") + unknown_end + "' is Wikidata's 'unknown value'");
    return;
  }

  const Var label_vars[2] = {kItemLabel, kTwinLabel};
  for (int side = 0; side < 2; ++side) {
    City& c = city(ids[side]);
    if (side == 0) c.item = true;
    label(c, t[label_vars[side]], ids[side]);
    if (!countries[side].empty()) {
      bool known = false;
      for (const auto& k : c.countries) known = known || k == countries[side];
      if (!known) c.countries.push_back(countries[side]);
    }
    if (located[side] && !c.located) {
      c.lat = lat[side];
      c.lon = lon[side];
      c.located = true;
    }
  }
  const std::string key = ids[0] + '\n' + ids[1];
  const auto [it, fresh] = tie_index_.try_emplace(key, ties_.size());
  if (fresh) {
    ties_.push_back(Tie{ids[0], ids[1], since, until});
  } else {
    // The same pair on several rows (several countries, labels or coordinates): one
    // statement, with the first date given.
    Tie& tie = ties_[it->second];
    // Two statements of one twinning with other dates (a tie ended and made again): the
    // first row's dates are kept, and the others counted, not dropped without a word.
    if ((!since.empty() && !tie.since.empty() && since != tie.since) ||
        (!until.empty() && !tie.until.empty() && until != tie.until)) {
      ctx.skip("other dates of a twinning already read (the first row's are kept)");
    }
    if (tie.since.empty()) tie.since = since;
    if (tie.until.empty()) tie.until = until;
  }
}

void WikidataImporter::read(const std::string& path, ImportContext& ctx) {
  // Read whole, once: a pipe cannot be read again to place an error, and query results
  // are a few megabytes.
  std::string text;
  std::string read_error;
  if (!read_whole_input(path, text, read_error)) {
    ctx.input_error(path, "cannot read the input: " + read_error, false);
    return;
  }
  // A byte order mark (some editors save one) is passed over; offsets stay the file's.
  const std::size_t base = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  OffsetLocator locator(path, text);
  Handler handler([&](const Row& r) { row(r, locator, ctx); });
  rapidjson::MemoryStream stream(text.data() + base, text.size() - base);
  handler.set_stream(&stream, base);
  rapidjson::Reader reader;
  util::DepthLimitedHandler<Handler> limited(handler);
  const auto result =
      reader.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseStopWhenDoneFlag |
                   rapidjson::kParseNumbersAsStringsFlag>(stream, limited);
  const std::size_t stopped = base + result.Offset();
  if (limited.too_deep()) {
    // The parser stopped just past the bracket that opened one level too many.
    ctx.error(locator.locate(stopped - 1), "nesting deeper than " +
                                               std::to_string(util::kMaxJsonDepth) +
                                               " levels; SPARQL JSON results nest five levels");
    return;
  }
  if (result.IsError()) {
    std::string what = rapidjson::GetParseError_En(result.Code());
    if (!what.empty() && what.back() == '.') what.pop_back();
    if (stopped >= text.size()) what = "the input ends too early (" + what + ")";
    if (result.Code() == rapidjson::kParseErrorStringInvalidEncoding) {
      ctx.error(locator.locate(stopped), "text that is not UTF-8; convert the input to UTF-8");
      return;
    }
    ctx.error(locator.locate(stopped),
              "malformed JSON: " + what +
                  "; the input must be whole SPARQL JSON results (download again?)");
    return;
  }
  if (!handler.top_is_array() && (!handler.top_is_object() || !handler.saw_bindings())) {
    ctx.error(diag::SourceLocation{path, 1, 1},
              std::string("not SPARQL JSON results: there is no \"results\": {\"bindings\": "
                          "[...]}") +
                  "; save the query's results as application/sparql-results+json (the query "
                  "service's 'JSON file (verbose)' download, or curl with "
                  "-H 'Accept: application/sparql-results+json')");
  }
}

void WikidataImporter::finish(ImportContext& ctx) {
  std::string home = ctx.home_country();
  if (home.empty() && !cities_.empty()) {
    // Inferred: the one country of every item (the declaring side) that has one.
    std::vector<std::string> seen;
    for (const auto& [id, c] : cities_) {
      if (!c.item) continue;
      for (const auto& k : c.countries) {
        bool known = false;
        for (const auto& s : seen) known = known || s == k;
        if (!known) seen.push_back(k);
      }
    }
    if (seen.size() == 1) {
      home = seen[0];
    } else {
      std::string list;
      for (std::size_t i = 0; i < seen.size() && i < 5; ++i) list += (i ? ", " : "") + seen[i];
      if (seen.size() > 5) list += ", …";
      ctx.usage_error(seen.empty()
                          ? "cannot tell the home country: no item has an itemCountry; give "
                            "--home-country CC"
                          : "cannot tell the home country: the items are in " +
                                std::to_string(seen.size()) + " countries (" + list +
                                "); give --home-country CC");
      return;
    }
  }
  std::size_t no_country = 0;
  std::vector<bool> domestic(cities_.size(), false);
  for (std::size_t i = 0; i < cities_.size(); ++i) {
    const auto& [id, c] = cities_[i];
    for (const auto& k : c.countries) domestic[i] = domestic[i] || k == home;
    Entity e;
    e.id = id;
    e.kind = domestic[i] ? "Municipality" : "ForeignCity";
    if (!c.name.empty()) e.fields.text("name", c.name);
    for (const auto& a : c.aliases) e.fields.add("aliases", a);
    if (!c.countries.empty()) e.fields.text("country", domestic[i] ? home : c.countries[0]);
    if (c.countries.empty()) ++no_country;
    if (c.located) e.fields.location(c.lat, c.lon);
    ctx.entity(std::move(e));
  }
  for (const auto& tie : ties_) {
    if (domestic[city_index_[tie.from]] && domestic[city_index_[tie.to]]) {
      ctx.skip("twinnings of two cities of the home country " + home +
               " (TWINNED_WITH joins a Municipality and a ForeignCity, or two ForeignCities)");
      continue;
    }
    Relation r;
    r.kind = "TWINNED_WITH";
    r.from = tie.from;
    r.to = tie.to;
    if (!tie.since.empty()) r.fields.text("since", tie.since);
    if (!tie.until.empty()) r.fields.text("until", tie.until);
    ctx.relation(std::move(r));
  }
  if (no_country > 0) {
    ctx.warning(diag::SourceLocation{},
                std::to_string(no_country) + (no_country == 1 ? " city has" : " cities have") +
                    " no country in the results and became ForeignCity; select ?itemCountry "
                    "and ?twinCountry (P17/P297)");
  }
}

}  // namespace

std::unique_ptr<Importer> make_wikidata_importer() {
  return std::make_unique<WikidataImporter>();
}

}  // namespace twinscan::imports
