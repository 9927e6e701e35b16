#include "analyzer/query/lexer.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <limits>
#include <utility>

#include "analyzer/query/syntax_error.h"

namespace twinscan::query {
namespace {

struct Spelling {
  TokenKind kind;
  std::string_view text;
};

constexpr std::array kKeywords{
    Spelling{TokenKind::kMatch, "MATCH"},
    Spelling{TokenKind::kWhere, "WHERE"},
    Spelling{TokenKind::kReturn, "RETURN"},
    Spelling{TokenKind::kAs, "AS"},
    Spelling{TokenKind::kDistinct, "DISTINCT"},
    Spelling{TokenKind::kOrder, "ORDER"},
    Spelling{TokenKind::kBy, "BY"},
    Spelling{TokenKind::kAsc, "ASC"},
    Spelling{TokenKind::kAscending, "ASCENDING"},
    Spelling{TokenKind::kDesc, "DESC"},
    Spelling{TokenKind::kDescending, "DESCENDING"},
    Spelling{TokenKind::kSkip, "SKIP"},
    Spelling{TokenKind::kLimit, "LIMIT"},
    Spelling{TokenKind::kAnd, "AND"},
    Spelling{TokenKind::kOr, "OR"},
    Spelling{TokenKind::kXor, "XOR"},
    Spelling{TokenKind::kNot, "NOT"},
    Spelling{TokenKind::kIn, "IN"},
    Spelling{TokenKind::kStarts, "STARTS"},
    Spelling{TokenKind::kEnds, "ENDS"},
    Spelling{TokenKind::kWith, "WITH"},
    Spelling{TokenKind::kContains, "CONTAINS"},
    Spelling{TokenKind::kIs, "IS"},
    Spelling{TokenKind::kNull, "NULL"},
    Spelling{TokenKind::kTrue, "TRUE"},
    Spelling{TokenKind::kFalse, "FALSE"},
    Spelling{TokenKind::kExists, "EXISTS"},
};

constexpr std::array kPunctuation{
    Spelling{TokenKind::kLParen, "("},      Spelling{TokenKind::kRParen, ")"},
    Spelling{TokenKind::kLBracket, "["},    Spelling{TokenKind::kRBracket, "]"},
    Spelling{TokenKind::kLBrace, "{"},      Spelling{TokenKind::kRBrace, "}"},
    Spelling{TokenKind::kComma, ","},       Spelling{TokenKind::kColon, ":"},
    Spelling{TokenKind::kDot, "."},         Spelling{TokenKind::kDotDot, ".."},
    Spelling{TokenKind::kPipe, "|"},        Spelling{TokenKind::kMinus, "-"},
    Spelling{TokenKind::kArrowRight, "->"}, Spelling{TokenKind::kArrowLeft, "<-"},
    Spelling{TokenKind::kLt, "<"},          Spelling{TokenKind::kGt, ">"},
    Spelling{TokenKind::kEq, "="},          Spelling{TokenKind::kNe, "<>"},
    Spelling{TokenKind::kLe, "<="},         Spelling{TokenKind::kGe, ">="},
    Spelling{TokenKind::kPlus, "+"},        Spelling{TokenKind::kStar, "*"},
    Spelling{TokenKind::kSlash, "/"},       Spelling{TokenKind::kPercent, "%"},
    Spelling{TokenKind::kCaret, "^"},       Spelling{TokenKind::kRegexMatch, "=~"},
    Spelling{TokenKind::kSemicolon, ";"},
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_identifier_start(char c) {
  return is_identifier_char(c) && !is_digit(c);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int hex_digit(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  auto byte = [&out](std::uint32_t b) { out += static_cast<char>(b); };
  if (cp < 0x80) {
    byte(cp);
  } else if (cp < 0x800) {
    byte(0xC0 | (cp >> 6));
    byte(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    byte(0xE0 | (cp >> 12));
    byte(0x80 | ((cp >> 6) & 0x3F));
    byte(0x80 | (cp & 0x3F));
  } else {
    byte(0xF0 | (cp >> 18));
    byte(0x80 | ((cp >> 12) & 0x3F));
    byte(0x80 | ((cp >> 6) & 0x3F));
    byte(0x80 | (cp & 0x3F));
  }
}

bool is_high_surrogate(std::uint32_t cp) {
  return cp >= 0xD800 && cp <= 0xDBFF;
}
bool is_low_surrogate(std::uint32_t cp) {
  return cp >= 0xDC00 && cp <= 0xDFFF;
}

/// A character for a message: printable ASCII as itself, others as \xNN.
std::string printable(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string(1, c);
  std::array<char, 8> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "\\x%02X", u);
  return buffer.data();
}

/// The hint after "unexpected character 'c'", for operators from other languages.
std::string_view unexpected_character_hint(char c) {
  if (c == '!') return "; use NOT for negation and <> for inequality";
  if (c == '&') return "; use AND";
  return "";
}

}  // namespace

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

TokenKind keyword_kind(std::string_view word) {
  for (const auto& keyword : kKeywords) {
    if (equals_ignoring_case(word, keyword.text)) return keyword.kind;
  }
  return TokenKind::kIdentifier;
}

Lexer::Lexer(std::string_view text) : text_(text) {
  if (text_.size() > kMaxInputBytes) {
    throw SyntaxError("the query is " + std::to_string(text_.size()) +
                          " bytes long; the limit is 1 MiB (1048576 bytes)",
                      SourceSpan{0, 0});
  }
  // A UTF-8 byte-order mark is not part of the query.
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

std::vector<Token> Lexer::tokenize() {
  std::vector<Token> tokens;
  do {
    tokens.push_back(next());
  } while (tokens.back().kind != TokenKind::kEnd);
  return tokens;
}

Token Lexer::next() {
  skip_space_and_comments();
  if (pos_ >= text_.size()) return make(TokenKind::kEnd, static_cast<std::uint32_t>(pos_));
  const char c = peek();
  if (is_identifier_start(c)) return lex_identifier();
  if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return lex_number();
  if (c == '`') return lex_quoted_identifier();
  if (c == '"' || c == '\'') return lex_string();
  if (c == '$') return lex_parameter();
  return lex_punctuation();
}

char Lexer::peek(std::size_t ahead) const {
  return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
}

Token Lexer::make(TokenKind kind, std::uint32_t begin) const {
  Token token;
  token.kind = kind;
  token.span = SourceSpan{begin, static_cast<std::uint32_t>(pos_)};
  token.text = std::string(text_.substr(begin, pos_ - begin));
  return token;
}

void Lexer::fail(const std::string& message, std::size_t begin, std::size_t end) const {
  throw SyntaxError(message,
                    SourceSpan{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
}

void Lexer::skip_space_and_comments() {
  while (pos_ < text_.size()) {
    if (is_space(peek())) {
      ++pos_;
    } else if (peek() == '/' && peek(1) == '/') {
      while (pos_ < text_.size() && peek() != '\n') ++pos_;
    } else if (peek() == '/' && peek(1) == '*') {
      skip_block_comment();
    } else {
      return;
    }
  }
}

void Lexer::skip_block_comment() {
  const std::size_t begin = pos_;
  const std::size_t close = text_.find("*/", pos_ + 2);
  if (close == std::string_view::npos) {
    fail("unterminated comment: '/*' has no matching '*/'", begin, begin + 2);
  }
  pos_ = close + 2;
}

Token Lexer::lex_identifier() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  while (pos_ < text_.size() && is_identifier_char(peek())) ++pos_;
  Token token = make(TokenKind::kIdentifier, begin);
  token.kind = keyword_kind(token.text);
  return token;
}

Token Lexer::lex_quoted_identifier() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  std::string name;
  ++pos_;
  while (true) {
    if (pos_ >= text_.size()) {
      fail("unterminated back-quoted name: the closing '`' is missing", begin, begin + 1);
    }
    if (peek() == '`' && peek(1) == '`') {
      name += '`';
      pos_ += 2;
    } else if (peek() == '`') {
      ++pos_;
      break;
    } else {
      name += peek();
      ++pos_;
    }
  }
  if (name.empty()) fail("a back-quoted name cannot be empty", begin, pos_);
  Token token = make(TokenKind::kQuotedIdentifier, begin);
  token.text = std::move(name);
  return token;
}

Token Lexer::lex_parameter() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  ++pos_;
  while (pos_ < text_.size() && is_identifier_char(peek())) ++pos_;
  if (pos_ == begin + 1u) fail("expected a parameter name after '$'", begin, begin + 1);
  Token token = make(TokenKind::kParameter, begin);
  token.text.erase(0, 1);
  return token;
}

Token Lexer::lex_string() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  const char quote = peek();
  std::string value;
  ++pos_;
  while (true) {
    if (pos_ >= text_.size()) {
      fail(std::string("unterminated string: the closing ") + quote + " is missing", begin,
           begin + 1);
    }
    const char c = peek();
    if (c == quote) {
      ++pos_;
      break;
    }
    if (c == '\\') {
      append_escape(value);
    } else {
      value += c;
      ++pos_;
    }
  }
  Token token = make(TokenKind::kString, begin);
  token.text = std::move(value);
  return token;
}

void Lexer::append_escape(std::string& out) {
  const std::size_t backslash = pos_;
  if (backslash + 1 >= text_.size()) {
    fail("unterminated string: it ends with a lone backslash", backslash, backslash + 1);
  }
  const char c = text_[backslash + 1];
  pos_ += 2;
  switch (c) {
    case 'n':
      out += '\n';
      return;
    case 't':
      out += '\t';
      return;
    case 'r':
      out += '\r';
      return;
    case 'b':
      out += '\b';
      return;
    case 'f':
      out += '\f';
      return;
    case '\\':
      out += '\\';
      return;
    case '\'':
      out += '\'';
      return;
    case '"':
      out += '"';
      return;
    case 'u':
      break;
    default:
      fail("invalid escape sequence '\\" + printable(c) +
               "' in a string; the escapes are \\n \\t \\r \\b \\f \\\\ \\' \\\" and \\uXXXX",
           backslash, backslash + 2);
  }
  std::uint32_t cp = read_hex4(backslash);
  pos_ = backslash + 6;
  if (is_high_surrogate(cp)) {
    if (peek() != '\\' || peek(1) != 'u') {
      fail("unpaired surrogate in a string: '\\u" + std::string(text_.substr(backslash + 2, 4)) +
               "' must be followed by a low surrogate '\\uDC00'..'\\uDFFF'",
           backslash, backslash + 6);
    }
    const std::uint32_t low = read_hex4(pos_);
    if (!is_low_surrogate(low)) {
      fail("unpaired surrogate in a string: '\\u" + std::string(text_.substr(pos_ + 2, 4)) +
               "' is not a low surrogate ('\\uDC00'..'\\uDFFF')",
           pos_, pos_ + 6);
    }
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    pos_ += 6;
  } else if (is_low_surrogate(cp)) {
    fail("unpaired surrogate in a string: '\\u" + std::string(text_.substr(backslash + 2, 4)) +
             "' is a low surrogate without a high surrogate before it",
         backslash, backslash + 6);
  }
  append_utf8(out, cp);
}

std::uint32_t Lexer::read_hex4(std::size_t backslash) const {
  std::uint32_t value = 0;
  for (std::size_t i = backslash + 2; i < backslash + 6; ++i) {
    const int digit = i < text_.size() ? hex_digit(text_[i]) : -1;
    if (digit < 0) {
      fail("'\\u' in a string must be followed by four hexadecimal digits", backslash,
           std::min(i + 1, text_.size()));
    }
    value = value * 16 + static_cast<std::uint32_t>(digit);
  }
  return value;
}

Token Lexer::lex_number() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  bool is_float = false;
  while (is_digit(peek())) ++pos_;
  if (peek() == '.' && is_digit(peek(1))) {
    is_float = true;
    ++pos_;
    while (is_digit(peek())) ++pos_;
  }
  const bool signed_exponent = (peek(1) == '+' || peek(1) == '-') && is_digit(peek(2));
  if ((peek() == 'e' || peek() == 'E') && (is_digit(peek(1)) || signed_exponent)) {
    is_float = true;
    pos_ += signed_exponent ? 2 : 1;
    while (is_digit(peek())) ++pos_;
  }
  if (is_identifier_char(peek())) {
    while (is_identifier_char(peek())) ++pos_;
    fail("invalid number '" + std::string(text_.substr(begin, pos_ - begin)) +
             "': numbers are decimal and cannot run into letters",
         begin, pos_);
  }
  Token token = make(is_float ? TokenKind::kFloat : TokenKind::kInteger, begin);
  const auto end = static_cast<std::uint32_t>(pos_);
  if (is_float) {
    const auto [ptr, error] =
        std::from_chars(text_.data() + begin, text_.data() + end, token.float_value);
    if (error != std::errc() || ptr != text_.data() + end) {
      fail("number '" + token.text + "' is out of range", begin, end);
    }
  } else {
    check_integer(begin, end);
    token.int_value = integer_value(begin, end);
  }
  return token;
}

void Lexer::check_integer(std::uint32_t begin, std::uint32_t end) const {
  if (end - begin > 1 && text_[begin] == '0') {
    fail("integer '" + std::string(text_.substr(begin, end - begin)) +
             "' has a leading zero; integers are decimal, write it without the zero",
         begin, end);
  }
}

std::uint64_t Lexer::integer_value(std::uint32_t begin, std::uint32_t end) const {
  // One past INT64_MAX is allowed here so that -9223372036854775808 can be written.
  constexpr std::uint64_t kLimit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  std::uint64_t value = 0;
  for (std::uint32_t i = begin; i < end; ++i) {
    const auto digit = static_cast<std::uint64_t>(text_[i] - '0');
    if (value > (kLimit - digit) / 10) {
      fail("integer '" + std::string(text_.substr(begin, end - begin)) +
               "' is too large; the largest integer is 9223372036854775807",
           begin, end);
    }
    value = value * 10 + digit;
  }
  return value;
}

Token Lexer::lex_punctuation() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  const char c = peek();
  const char d = peek(1);
  if (c == '!' && d == '=') {
    pos_ += 2;
    return make(TokenKind::kNe, begin);
  }
  // Two-character tokens first, so that "->" is not read as "-" then ">".
  for (const auto& p : kPunctuation) {
    if (p.text.size() == 2 && p.text[0] == c && p.text[1] == d) {
      pos_ += 2;
      return make(p.kind, begin);
    }
  }
  for (const auto& p : kPunctuation) {
    if (p.text.size() == 1 && p.text[0] == c) {
      ++pos_;
      return make(p.kind, begin);
    }
  }
  fail("unexpected character '" + printable(c) + "'" + std::string(unexpected_character_hint(c)),
       begin, begin + 1);
}

}  // namespace twinscan::query
