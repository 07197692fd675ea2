// ControlList: the score's per-voice control lists, which append without initialising.
#include "engine/synth/voice_block_control.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace tutti::engine::synth {
namespace {

VoiceBlockControl numbered(std::uint32_t n) {
  VoiceBlockControl control;
  control.oscillator.phase = kernels::Phase{n} << 32 | n;
  control.oscillator.frames = static_cast<int>(n % 64 + 1);
  control.filter.start.b02 = static_cast<float>(n);
  control.pan.left_to = static_cast<float>(n) * 0.5f;
  control.region.loop_end = n * 3;
  return control;
}

void expect_numbered(const VoiceBlockControl& control, std::uint32_t n) {
  EXPECT_EQ(control.oscillator.phase, kernels::Phase{n} << 32 | n);
  EXPECT_EQ(control.oscillator.frames, static_cast<int>(n % 64 + 1));
  EXPECT_EQ(control.filter.start.b02, static_cast<float>(n));
  EXPECT_EQ(control.pan.left_to, static_cast<float>(n) * 0.5f);
  EXPECT_EQ(control.region.loop_end, n * 3);
}

TEST(ControlList, KeepsEveryElementThroughGrowth) {
  ControlList list;
  EXPECT_EQ(list.data(), nullptr);  // nothing allocated yet
  constexpr std::uint32_t kCount = 300;  // several doublings past the first allocation
  for (std::uint32_t n = 0; n < kCount; ++n) {
    if (n % 2 == 0) {
      list.push_back(numbered(n));
    } else {
      list.append() = numbered(n);
    }
    ASSERT_EQ(list.size(), n + 1);
  }
  for (std::uint32_t n = 0; n < kCount; ++n) expect_numbered(list[n], n);
  expect_numbered(list.back(), kCount - 1);
  std::uint32_t n = 0;
  for (const VoiceBlockControl& control : list) expect_numbered(control, n++);
  EXPECT_EQ(n, kCount);
}

TEST(ControlList, ReservedRoomJoinsTheListOnlyWhenExtended) {
  ControlList list;
  for (std::uint32_t n = 0; n < 10; ++n) list.push_back(numbered(n));
  // Room for a run of 200 more, past the first allocation of 64: the list grows, keeping its
  // elements, and the room starts right after them.
  VoiceBlockControl* room = list.reserve_more(200);
  ASSERT_EQ(list.size(), 10u);
  EXPECT_EQ(room, list.data() + 10);
  for (std::uint32_t n = 0; n < 10; ++n) expect_numbered(list[n], n);
  // The run ends early: only what extend() counts joins the list.
  for (std::uint32_t k = 0; k < 150; ++k) room[k] = numbered(10 + k);
  EXPECT_EQ(list.size(), 10u);
  list.extend(150);
  ASSERT_EQ(list.size(), 160u);
  for (std::uint32_t n = 0; n < 160; ++n) expect_numbered(list[n], n);
  // Room that fits already moves nothing.
  const VoiceBlockControl* storage = list.data();
  EXPECT_EQ(list.reserve_more(40), storage + 160);
  EXPECT_EQ(list.data(), storage);
}

TEST(ControlList, ClearKeepsStorageForTheNextWindow) {
  ControlList list;
  for (std::uint32_t n = 0; n < 10; ++n) list.push_back(numbered(n));
  const VoiceBlockControl* storage = list.data();
  list.clear();
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.reserve_more(64), storage);  // recycled, not reallocated
  list.append() = numbered(7);
  EXPECT_EQ(list.data(), storage);
  expect_numbered(list[0], 7);
  EXPECT_EQ(list.reserve_more(63), storage + 1);
}

TEST(ControlList, SwapAndMoveHandOverStorage) {
  ControlList a, b;
  for (std::uint32_t n = 0; n < 5; ++n) a.push_back(numbered(n));
  b.push_back(numbered(40));
  a.swap(b);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 5u);
  expect_numbered(a[0], 40);
  for (std::uint32_t n = 0; n < 5; ++n) expect_numbered(b[n], n);

  ControlList moved(std::move(b));
  ASSERT_EQ(moved.size(), 5u);
  EXPECT_EQ(b.size(), 0u);  // NOLINT(bugprone-use-after-move): a moved-from list is empty
  for (std::uint32_t n = 0; n < 5; ++n) expect_numbered(moved[n], n);
  a = std::move(moved);
  ASSERT_EQ(a.size(), 5u);
  expect_numbered(a[4], 4);
}

TEST(ControlList, PushBackMarksWhatABlockRepeatsOfTheOneBefore) {
  ControlList list;
  VoiceBlockControl control = numbered(1);
  control.repeats = {true, true, true};  // stale marks are replaced
  control.filter.enabled = false;
  list.push_back(control);
  EXPECT_FALSE(list[0].repeats.filter);  // the first block repeats nothing
  EXPECT_FALSE(list[0].repeats.region);
  EXPECT_FALSE(list[0].repeats.filter_enabled);
  control.oscillator.phase += 99;  // the first line may move freely
  control.filter.enabled = true;
  list.push_back(control);
  EXPECT_FALSE(list[1].repeats.filter);  // enabled differs
  EXPECT_TRUE(list[1].repeats.region);
  EXPECT_TRUE(list[1].repeats.filter_enabled);
  list.push_back(control);
  EXPECT_TRUE(list[2].repeats.filter);
  EXPECT_TRUE(list[2].repeats.region);
  control.region.loop_start += 1;
  control.filter.step.a2 = -0.0f;  // bit for bit: -0 is not +0
  list.push_back(control);
  EXPECT_FALSE(list[3].repeats.filter);
  EXPECT_FALSE(list[3].repeats.region);
  // Through growth: the previous block is found where the list moved it.
  for (std::uint32_t n = 4; n < 200; ++n) {
    list.push_back(control);
    ASSERT_TRUE(list[n].repeats.filter && list[n].repeats.region) << n;
  }
}

}  // namespace
}  // namespace tutti::engine::synth
