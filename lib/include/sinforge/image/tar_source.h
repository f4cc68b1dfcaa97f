// Content images read out of --content tar shards (plan/tar_scan.h) on the decode pool: each tar is one
// sequential stream (nothing extracted to disk, nothing read twice), and several tars stream at once when
// the items of different tars are interleaved in the load order (run.cpp orders them so).
//
// Contract: the items of one tar are loaded in the order given, which must be their order in the tar. A
// load waits until the loads of its tar's earlier items have read their data, so it is safe on a FIFO pool
// with loads submitted in order (OrderedLoader): every earlier item is then running or done. A tar that
// breaks off fails the item being read and every later item of that tar with DecodeError naming
// `<tar>:<member>`; other tars go on.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sinforge {

class TarContentSource {
 public:
  struct Item {
    size_t tar = 0;      // index into tars
    std::string member;  // the image member's name
  };
  TarContentSource(std::vector<std::filesystem::path> tars, const std::vector<Item>& items);
  ~TarContentSource();
  TarContentSource(const TarContentSource&) = delete;
  TarContentSource& operator=(const TarContentSource&) = delete;

  // The bytes of items[i]. Throws DecodeError naming "<tar>:<member>".
  std::string read(size_t i);

 private:
  struct TarState;
  std::vector<std::filesystem::path> tars_;
  std::vector<Item> items_;
  std::vector<size_t> position_;  // items[i]'s place among its tar's items
  std::vector<size_t> count_;     // items per tar
  std::vector<std::unique_ptr<TarState>> states_;
};

}  // namespace sinforge
