#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/gen/calendar.h"
#include "analyzer/gen/world.h"

namespace twinscan::gen {

/// Appends JSON text to a string by hand: integers and fixed-point numbers are
/// formatted with integer arithmetic, so the bytes never depend on the C library.
class JsonText {
 public:
  enum class Precision { kYear, kMonth, kDay };

  explicit JsonText(std::uint32_t id_width) : id_width_(id_width) {}

  /// Starts an object in `out`; fields follow; end() closes it.
  JsonText& begin(std::string& out) {
    out_ = &out;
    out.push_back('{');
    first_ = true;
    return *this;
  }
  void end() { out_->push_back('}'); }

  JsonText& key(std::string_view k) {
    out_->append(first_ ? "\"" : ",\"", first_ ? 1 : 2);
    first_ = false;
    out_->append(k.data(), k.size());
    out_->append("\":", 2);
    return *this;
  }
  JsonText& str(std::string_view k, std::string_view v) {
    key(k);
    put_string(*out_, v);
    return *this;
  }
  JsonText& id(std::string_view k, Ref r) {
    key(k);
    put_id(r);
    return *this;
  }
  JsonText& integer(std::string_view k, std::int64_t v) {
    key(k);
    put_int(*out_, v);
    return *this;
  }
  /// `value` / 10^decimals, with trailing zeros dropped ("0.5", "1", "31.8123").
  JsonText& fixed(std::string_view k, std::int64_t value, int decimals) {
    key(k);
    put_fixed(*out_, value, decimals);
    return *this;
  }
  JsonText& boolean(std::string_view k, bool v) {
    key(k);
    out_->append(v ? "true" : "false");
    return *this;
  }
  JsonText& date(std::string_view k, std::int32_t days, Precision p = Precision::kDay) {
    key(k);
    put_date(*out_, days, p);
    return *this;
  }
  JsonText& location(Geo at) {
    key("location");
    out_->append("{\"lat\":");
    put_fixed(*out_, at.lat, 4);
    out_->append(",\"lon\":");
    put_fixed(*out_, at.lon, 4);
    out_->push_back('}');
    return *this;
  }
  /// A list of strings; `values` is any range of string-like items.
  template <typename Range>
  JsonText& strings(std::string_view k, const Range& values) {
    key(k);
    out_->push_back('[');
    bool first = true;
    for (const auto& v : values) {
      if (!first) out_->push_back(',');
      first = false;
      put_string(*out_, v);
    }
    out_->push_back(']');
    return *this;
  }
  /// A relation of kind `kind` from `from` to `to`; properties may follow.
  JsonText& relation(std::string& out, std::string_view kind, Ref from, Ref to) {
    begin(out);
    str("kind", kind);
    id("from", from);
    id("to", to);
    return *this;
  }

  void put_id(Ref r) {
    out_->push_back('"');
    out_->append(kind_prefix(r.kind));
    out_->push_back(':');
    char digits[12];
    std::uint32_t v = r.index;
    for (int i = static_cast<int>(id_width_) - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    out_->append(digits, id_width_);
    out_->push_back('"');
  }

  static void put_string(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t run = 0;  // start of the text not yet appended
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto b = static_cast<unsigned char>(s[i]);
      if (b >= 0x20 && b != '"' && b != '\\') continue;
      out.append(s.data() + run, i - run);
      run = i + 1;
      if (b == '"' || b == '\\') {
        out.push_back('\\');
        out.push_back(s[i]);
      } else {
        static constexpr char kHex[] = "0123456789abcdef";
        out.append("\\u00", 4);
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
      }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
  }

  static void put_int(std::string& out, std::int64_t v) {
    char buf[24];
    int i = 24;
    const bool negative = v < 0;
    std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    do {
      buf[--i] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (negative) buf[--i] = '-';
    out.append(buf + i, static_cast<std::size_t>(24 - i));
  }

  static void put_fixed(std::string& out, std::int64_t value, int decimals) {
    std::int64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    if (value < 0) {
      out.push_back('-');
      value = -value;
    }
    put_int(out, value / scale);
    std::int64_t frac = value % scale;
    if (frac == 0) return;
    int shown = decimals;
    while (frac % 10 == 0) {
      frac /= 10;
      --shown;
    }
    out.push_back('.');
    char buf[20];
    for (int i = shown - 1; i >= 0; --i) {
      buf[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    out.append(buf, static_cast<std::size_t>(shown));
  }

  static void put_date(std::string& out, std::int32_t days, Precision p) {
    const Civil c = civil_from_days(days);
    char buf[12] = {'"',
                    static_cast<char>('0' + c.year / 1000),
                    static_cast<char>('0' + c.year / 100 % 10),
                    static_cast<char>('0' + c.year / 10 % 10),
                    static_cast<char>('0' + c.year % 10),
                    '-',
                    static_cast<char>('0' + c.month / 10),
                    static_cast<char>('0' + c.month % 10),
                    '-',
                    static_cast<char>('0' + c.day / 10),
                    static_cast<char>('0' + c.day % 10),
                    '"'};
    if (p == Precision::kDay) {
      out.append(buf, 12);
    } else {
      out.append(buf, p == Precision::kYear ? 5 : 8);
      out.push_back('"');
    }
  }

 private:
  std::string* out_ = nullptr;
  bool first_ = true;
  std::uint32_t id_width_;
};

}  // namespace twinscan::gen
