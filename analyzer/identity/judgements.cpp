#include "analyzer/identity/judgements.h"

#include <cstdio>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/io/json_tree.h"
#include "analyzer/model/date.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/nearest_name.h"
#include "analyzer/util/output_target.h"

namespace twinscan::identity {
namespace {

using io::JsonTree;
using Node = JsonTree::Node;

const std::vector<std::string> kFileKeys = {"format", "judgements"};
const std::vector<std::string> kJudgementKeys = {"ids", "judgement", "by", "on", "note"};

/// Reads one file's tree, reporting each problem where it lies.
class JudgementsReader {
 public:
  JudgementsReader(const diag::SourceText& source, diag::Diagnostics& diagnostics)
      : source_(source), diagnostics_(diagnostics) {}

  bool read(std::vector<Judgement>& out) {
    const std::size_t bad_byte = diag::find_invalid_utf8(source_.text());
    if (bad_byte != std::string_view::npos) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%02x",
                    static_cast<unsigned>(static_cast<unsigned char>(source_.text()[bad_byte])));
      error_at(bad_byte, std::string("invalid UTF-8 (byte 0x") + hex + "); save the file as UTF-8");
      return false;
    }
    std::string error;
    std::size_t offset = 0;
    if (!tree_.parse(source_.text(), error, offset)) {
      error_at(offset, error);
      return false;
    }
    const Node root = tree_.root();
    if (!root.value->IsObject()) {
      error_at(tree_.offset(root),
               "a judgements file is a JSON object {\"format\": \"twinscan-judgements/1\", "
               "\"judgements\": [...]}");
      return false;
    }
    bool has_format = false;
    bool has_list = false;
    tree_.for_each_member(root, [&](std::string_view key, Node value) {
      if (key == "format") {
        has_format = true;
        if (!value.value->IsString() || text(value) != kJudgementsFormat) {
          error_at(tree_.offset(value),
                   "\"format\" must be \"" + std::string(kJudgementsFormat) + "\"");
        }
      } else if (key == "judgements") {
        has_list = true;
        if (!value.value->IsArray()) {
          error_at(tree_.offset(value), "\"judgements\" must be a list, not " +
                                            std::string(io::json_type_name(*value.value)));
          return;
        }
        tree_.for_each_element(value, [&](Node j) { read_judgement(j, out); });
      } else {
        error_at(tree_.key_offset(value), "unknown key '" + std::string(key) +
                                              "' in a judgements file" +
                                              util::did_you_mean(key, kFileKeys));
      }
    });
    if (!has_format) error_at(tree_.offset(root), "missing \"format\": \"twinscan-judgements/1\"");
    if (!has_list) error_at(tree_.offset(root), "missing \"judgements\" (a list)");
    return ok_;
  }

 private:
  void read_judgement(Node node, std::vector<Judgement>& out) {
    if (!node.value->IsObject()) {
      error_at(tree_.offset(node),
               "a judgement is an object with \"ids\", \"judgement\", "
               "\"by\" and \"on\", not " +
                   std::string(io::json_type_name(*node.value)));
      return;
    }
    Judgement j;
    j.where = source_.location(tree_.offset(node));
    bool ok = true;
    bool seen[5] = {};
    tree_.for_each_member(node, [&](std::string_view key, Node value) {
      if (key == "ids") {
        seen[0] = true;
        ok &= read_ids(value, j);
      } else if (key == "judgement") {
        seen[1] = true;
        const std::string_view v = value.value->IsString() ? text(value) : std::string_view();
        if (v == "same") {
          j.verdict = Verdict::kSame;
        } else if (v == "different") {
          j.verdict = Verdict::kDifferent;
        } else {
          error_at(tree_.offset(value), "\"judgement\" must be \"same\" or \"different\"");
          ok = false;
        }
      } else if (key == "by") {
        seen[2] = true;
        ok &= read_text(value, "by", "who made the judgement", j.by);
      } else if (key == "on") {
        seen[3] = true;
        if (read_text(value, "on", "the date of the judgement", j.on)) {
          if (!model::parse_date(j.on)) {
            error_at(tree_.offset(value),
                     "\"on\" must be an ISO 8601 date such as 2024-05-01, not '" + j.on + "'");
            ok = false;
          }
        } else {
          ok = false;
        }
      } else if (key == "note") {
        seen[4] = true;
        if (!value.value->IsString()) {
          error_at(tree_.offset(value), "\"note\" must be a string, not " +
                                            std::string(io::json_type_name(*value.value)));
          ok = false;
        } else {
          j.note = text(value);
        }
      } else {
        error_at(tree_.key_offset(value), "unknown key '" + std::string(key) + "' in a judgement" +
                                              util::did_you_mean(key, kJudgementKeys));
        ok = false;
      }
    });
    static constexpr const char* kRequired[] = {
        "\"ids\" (the two ids judged)", "\"judgement\" (\"same\" or \"different\")",
        "\"by\" (who made the judgement)", "\"on\" (the date of the judgement)"};
    for (int k = 0; k < 4; ++k) {
      if (!seen[k]) {
        error_at(tree_.offset(node), std::string("a judgement needs ") + kRequired[k]);
        ok = false;
      }
    }
    if (ok) out.push_back(std::move(j));
  }

  bool read_ids(Node value, Judgement& j) {
    const auto& v = *value.value;
    if (!v.IsArray() || v.Size() != 2 || !v[0].IsString() || !v[1].IsString()) {
      error_at(tree_.offset(value), "\"ids\" must be a list of two ids (strings)");
      return false;
    }
    j.a.assign(v[0].GetString(), v[0].GetStringLength());
    j.b.assign(v[1].GetString(), v[1].GetStringLength());
    if (j.a.empty() || j.b.empty()) {
      error_at(tree_.offset(value), "\"ids\" must not be empty strings");
      return false;
    }
    if (j.a == j.b) {
      error_at(tree_.offset(value), "a judgement needs two different ids, not '" + j.a + "' twice");
      return false;
    }
    return true;
  }

  bool read_text(Node value, const char* key, const char* what, std::string& out) {
    if (!value.value->IsString() || value.value->GetStringLength() == 0) {
      error_at(tree_.offset(value),
               std::string("\"") + key + "\" must be a non-empty string: " + what);
      return false;
    }
    out = text(value);
    return true;
  }

  static std::string_view text(Node n) {
    return {n.value->GetString(), n.value->GetStringLength()};
  }

  void error_at(std::size_t offset, std::string message) {
    diagnostics_.error(source_.location(offset), std::move(message));
    ok_ = false;
  }

  const diag::SourceText& source_;
  diag::Diagnostics& diagnostics_;
  JsonTree tree_;
  bool ok_ = true;
};

void append_json_string(std::string& out, std::string_view s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  out.append(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  return verdict == Verdict::kSame ? "same" : "different";
}

std::string Judgement::describe() const {
  return a + " " + std::string(to_string(verdict)) + " " + b + " (by " + by + ", on " + on + ")";
}

bool parse_judgements(const diag::SourceText& source, std::vector<Judgement>& out,
                      diag::Diagnostics& diagnostics) {
  return JudgementsReader(source, diagnostics).read(out);
}

JudgementsStatus read_judgements(const std::string& path, std::vector<Judgement>& out,
                                 diag::Diagnostics& diagnostics) {
  diag::SourceText source("", "");
  std::string error;
  const auto status = diag::SourceText::read_file(path, source, error);
  if (status == diag::SourceText::ReadStatus::kMissing) {
    diagnostics.error({path, 0, 0}, "no such judgements file");
    return JudgementsStatus::kMissing;
  }
  if (status != diag::SourceText::ReadStatus::kOk) {
    diagnostics.error({path, 1, 1}, "cannot read: " + error);
    return JudgementsStatus::kInvalid;
  }
  util::protect_input(path);  // `judge` alone writes the file it reads (release_input)
  return parse_judgements(source, out, diagnostics) ? JudgementsStatus::kOk
                                                    : JudgementsStatus::kInvalid;
}

std::string format_judgements(const std::vector<Judgement>& judgements) {
  std::string out = "{\n  \"format\": ";
  append_json_string(out, kJudgementsFormat);
  out += ",\n  \"judgements\": [";
  for (std::size_t i = 0; i < judgements.size(); ++i) {
    const Judgement& j = judgements[i];
    out += i == 0 ? "\n    {\"ids\": [" : ",\n    {\"ids\": [";
    append_json_string(out, j.a);
    out += ", ";
    append_json_string(out, j.b);
    out += "], \"judgement\": ";
    append_json_string(out, to_string(j.verdict));
    out += ", \"by\": ";
    append_json_string(out, j.by);
    out += ", \"on\": ";
    append_json_string(out, j.on);
    if (!j.note.empty()) {
      out += ", \"note\": ";
      append_json_string(out, j.note);
    }
    out += "}";
  }
  out += judgements.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

bool write_judgements(const std::string& path, const std::vector<Judgement>& judgements,
                      std::string& error) {
  return util::write_file_atomically(path, format_judgements(judgements), error);
}

}  // namespace twinscan::identity
