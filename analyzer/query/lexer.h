#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/query/token.h"

namespace twinscan::query {

/// Splits query text into tokens. Every error is a SyntaxError whose span points
/// at the offending characters.
class Lexer {
 public:
  /// Longest query text accepted (1 MiB).
  static constexpr std::size_t kMaxInputBytes = std::size_t{1} << 20;

  /// Throws SyntaxError when `text` is longer than kMaxInputBytes.
  explicit Lexer(std::string_view text);

  /// The next token; kEnd (with an empty span at the end of the text) once the
  /// input is exhausted.
  Token next();

  /// Every remaining token, the last one being kEnd.
  std::vector<Token> tokenize();

 private:
  void skip_space_and_comments();
  void skip_block_comment();
  Token lex_identifier();
  Token lex_quoted_identifier();
  Token lex_parameter();
  Token lex_string();
  Token lex_number();
  Token lex_punctuation();
  /// Decodes the escape sequence starting at the backslash at pos_ into `out`.
  void append_escape(std::string& out);
  /// The value of the four hex digits after "\u" at `backslash`.
  std::uint32_t read_hex4(std::size_t backslash) const;
  void check_integer(std::uint32_t begin, std::uint32_t end) const;
  std::uint64_t integer_value(std::uint32_t begin, std::uint32_t end) const;

  [[nodiscard]] char peek(std::size_t ahead = 0) const;
  [[nodiscard]] Token make(TokenKind kind, std::uint32_t begin) const;
  [[noreturn]] void fail(const std::string& message, std::size_t begin, std::size_t end) const;

  std::string_view text_;
  std::size_t pos_ = 0;
};

/// The keyword kind for `word` (compared case-insensitively), or kIdentifier.
TokenKind keyword_kind(std::string_view word);

/// Identifier characters: ASCII letters, digits, '_' and every byte >= 0x80, so
/// that names in any script work without decoding UTF-8.
bool is_identifier_char(char c);

}  // namespace twinscan::query
