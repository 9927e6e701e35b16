// The findings of a scan in report order, kept where the rules built them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

#include "analyzer/rules/finding.h"

namespace twinscan::rules {

/// Findings in order, read as one sequence: a list of vectors ("runs", one per rule in a
/// scan) and the slices of them that follow one another.
///
/// A catalogue scan at a million entities holds hundreds of thousands of findings, each
/// rule's in a vector of its own, sorted on the thread that ran the rule. Joining them
/// into one vector moved every finding once more into as much fresh memory (138 MB for
/// 725,000 findings) on one thread while the other cores had nothing to do; here the
/// join only notes which slice of which run comes next. A list built from one vector, or
/// filled with push_back, is one run.
class FindingList {
 public:
  template <bool kConst>
  class Iterator;
  using value_type = Finding;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = Finding&;
  using const_reference = const Finding&;
  using iterator = Iterator<false>;
  using const_iterator = Iterator<true>;

  FindingList() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): a vector of findings in order is a list.
  FindingList(std::vector<Finding> findings) { add_run(std::move(findings)); }
  FindingList(std::initializer_list<Finding> findings)
      : FindingList(std::vector<Finding>(findings)) {}
  FindingList(const FindingList&) = default;
  FindingList& operator=(const FindingList&) = default;
  /// A moved-from list is empty, as a moved-from vector is.
  FindingList(FindingList&& other) noexcept
      : runs_(std::move(other.runs_)),
        slices_(std::move(other.slices_)),
        size_(std::exchange(other.size_, 0)) {
    other.clear();
  }
  FindingList& operator=(FindingList&& other) noexcept {
    if (this == &other) return *this;
    runs_ = std::move(other.runs_);
    slices_ = std::move(other.slices_);
    size_ = std::exchange(other.size_, 0);
    other.clear();
    return *this;
  }
  ~FindingList() = default;

  /// Run `i` as taken, whatever of it the list holds.
  [[nodiscard]] const std::vector<Finding>& run(std::size_t i) const { return runs_[i]; }

  void push_back(Finding finding);
  void clear() {
    runs_.clear();
    slices_.clear();
    size_ = 0;
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] Finding& operator[](std::size_t i) { return at_slice(slice_of(i), i); }
  [[nodiscard]] const Finding& operator[](std::size_t i) const {
    return const_cast<FindingList&>(*this)[i];
  }
  [[nodiscard]] Finding& front() { return (*this)[0]; }
  [[nodiscard]] const Finding& front() const { return (*this)[0]; }
  [[nodiscard]] Finding& back() { return (*this)[size_ - 1]; }
  [[nodiscard]] const Finding& back() const { return (*this)[size_ - 1]; }

  [[nodiscard]] iterator begin() { return {this, 0}; }
  [[nodiscard]] iterator end() { return {this, size_}; }
  [[nodiscard]] const_iterator begin() const { return {this, 0}; }
  [[nodiscard]] const_iterator end() const { return {this, size_}; }

  /// The findings as one vector, moved out; the list is left empty.
  [[nodiscard]] std::vector<Finding> take_vector();

  /// A random-access iterator that keeps the slice it stands in, so that stepping
  /// through the list finds each finding without a search.
  template <bool kConst>
  class Iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Finding;
    using difference_type = std::ptrdiff_t;
    using List = std::conditional_t<kConst, const FindingList, FindingList>;
    using reference = std::conditional_t<kConst, const Finding&, Finding&>;
    using pointer = std::conditional_t<kConst, const Finding*, Finding*>;

    Iterator() = default;
    Iterator(List* list, std::size_t index)
        : list_(list), index_(index), slice_(list->slice_of(index)) {}
    // NOLINTNEXTLINE(google-explicit-constructor): a mutable iterator reads as a const one.
    operator Iterator<true>() const requires(!kConst) { return {list_, index_}; }

    reference operator*() const {
      return const_cast<FindingList*>(list_)->at_slice(slice_, index_);
    }
    pointer operator->() const { return &**this; }
    reference operator[](difference_type n) const { return *(*this + n); }

    Iterator& operator++() {
      ++index_;
      if (slice_ < list_->slices_.size() && index_ == list_->slices_[slice_].end_position())
        ++slice_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    Iterator& operator--() { return *this -= 1; }
    Iterator operator--(int) {
      Iterator before = *this;
      --*this;
      return before;
    }
    Iterator& operator+=(difference_type n) {
      index_ = static_cast<std::size_t>(static_cast<difference_type>(index_) + n);
      slice_ = list_->slice_of(index_);
      return *this;
    }
    Iterator& operator-=(difference_type n) { return *this += -n; }
    friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
    friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
    friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const Iterator& a, const Iterator& b) {
      return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.index_ == b.index_; }
    friend auto operator<=>(const Iterator& a, const Iterator& b) { return a.index_ <=> b.index_; }

   private:
    List* list_ = nullptr;
    std::size_t index_ = 0;
    std::size_t slice_ = 0;  ///< The slice holding index_ (slices_.size() at the end).
  };

 private:
  friend FindingList join_sorted_findings(std::vector<std::vector<Finding>>& runs);

  /// Appends the slice [begin, end) of `runs_[run]`, which no slice holds yet: the
  /// join's one step.
  void add_slice(std::size_t run, std::size_t begin, std::size_t end);
  /// Takes `findings` as a run of its own and appends all of them; returns its index.
  std::size_t add_run(std::vector<Finding> findings);
  /// Takes `findings` as a run of its own without appending any: add_slice() places them.
  std::size_t keep_run(std::vector<Finding> findings);

  struct Slice {
    std::size_t run;
    std::size_t begin;     ///< In the run.
    std::size_t end;       ///< In the run.
    std::size_t position;  ///< In the list, of the slice's first finding.
    [[nodiscard]] std::size_t end_position() const { return position + (end - begin); }
  };

  /// The slice holding position i of the list, slices_.size() past the end.
  [[nodiscard]] std::size_t slice_of(std::size_t i) const {
    if (slices_.size() == 1) return i < size_ ? 0 : 1;
    const auto it =
        std::upper_bound(slices_.begin(), slices_.end(), i,
                         [](std::size_t at, const Slice& s) { return at < s.position; });
    if (it == slices_.begin()) return slices_.size();
    const auto s = static_cast<std::size_t>(it - slices_.begin()) - 1;
    return i < slices_[s].end_position() ? s : slices_.size();
  }
  Finding& at_slice(std::size_t s, std::size_t i) {
    const Slice& slice = slices_[s];
    return runs_[slice.run][slice.begin + (i - slice.position)];
  }

  std::vector<std::vector<Finding>> runs_;
  std::vector<Slice> slices_;
  std::size_t size_ = 0;
};

/// The findings of several runs joined in finding_order, each run already sorted by
/// sort_findings: the scan sorts each rule's findings on the thread that ran the rule,
/// and here they are only interleaved (by severity, then rule id) without comparing
/// bindings or moving a finding. Runs that mix rules, two runs of rules with one id, or a
/// run whose severities do not come worst first are joined into one vector and sorted
/// whole instead. The runs are left empty.
FindingList join_sorted_findings(std::vector<std::vector<Finding>>& runs);

}  // namespace twinscan::rules
