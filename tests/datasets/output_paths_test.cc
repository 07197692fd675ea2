#include "datasets/output_paths.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tutti::datasets {
namespace {

namespace fs = std::filesystem;

class OutputPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("tutti_output_paths_" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "out");
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string out() const { return (root_ / "out").string(); }
  fs::path root_;
};

TEST_F(OutputPaths, MirrorsTheRelativePathWithTheNewExtension) {
  auto path = output_path_below(out(), "a/b/song.MID", ".wav");
  ASSERT_TRUE(path) << path.error().message();
  EXPECT_EQ(*path, (root_ / "out" / "a" / "b" / "song.wav").string());
  ASSERT_TRUE(create_parent_folders(out(), *path));
  EXPECT_TRUE(fs::is_directory(root_ / "out" / "a" / "b"));
  // "." parts are harmless and normalised away.
  path = output_path_below(out(), "./a/./song.mid", ".flac");
  ASSERT_TRUE(path);
  EXPECT_EQ(*path, (root_ / "out" / "a" / "song.flac").string());
}

TEST_F(OutputPaths, NamesThatLeaveTheFolderAreRefused) {
  for (const char* name : {"../song.mid", "a/../../song.mid", "a/../song.mid", "/etc/song.mid", "", "a/.."}) {
    EXPECT_FALSE(output_path_below(out(), name, ".wav")) << name;
  }
}

TEST_F(OutputPaths, SymbolicLinksAreNotFollowed) {
  fs::create_directories(root_ / "elsewhere");
  fs::create_directory_symlink(root_ / "elsewhere", root_ / "out" / "linked");
  EXPECT_FALSE(output_path_below(out(), "linked/song.mid", ".wav"));
  { std::ofstream(root_ / "victim") << "x"; }
  fs::create_symlink(root_ / "victim", root_ / "out" / "song.wav");
  EXPECT_FALSE(output_path_below(out(), "song.mid", ".wav"));
  // A folder replaced by a link between naming and creating is caught when creating.
  auto path = output_path_below(out(), "later/song.mid", ".wav");
  ASSERT_TRUE(path);
  fs::create_directory_symlink(root_ / "elsewhere", root_ / "out" / "later");
  EXPECT_FALSE(create_parent_folders(out(), *path));
}

TEST_F(OutputPaths, AFileWhereAFolderShouldBeIsRefused) {
  { std::ofstream(root_ / "out" / "a") << "x"; }
  EXPECT_FALSE(output_path_below(out(), "a/song.mid", ".wav"));
}

}  // namespace
}  // namespace tutti::datasets
