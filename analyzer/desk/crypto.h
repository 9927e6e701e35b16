#pragma once

#include <cstddef>
#include <string>
#include <string_view>

/// The desk's cryptographic primitives, all from libsodium (initialised once, on first
/// use, from any thread).
namespace twinscan::desk {

/// `bytes` random bytes from libsodium's randombytes_buf, as lowercase hex.
std::string random_token(std::size_t bytes = 32);

/// SHA-256 (crypto_hash_sha256) of `data`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

/// An Argon2id hash of `password` in libsodium's encoded form ("$argon2id$v=19$…", salt
/// and parameters included), with the interactive limits. Throws DeskError when memory
/// runs out.
std::string hash_password(std::string_view password);

/// True when `password` matches `encoded_hash` (crypto_pwhash_str_verify, constant time).
bool verify_password(std::string_view password, const std::string& encoded_hash);

/// Spends the time of a password check against a throwaway hash, so that an unknown user
/// name cannot be told from a wrong password by the time the answer takes.
void waste_password_check(std::string_view password);

/// Compares two strings in time independent of where they differ.
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace twinscan::desk
