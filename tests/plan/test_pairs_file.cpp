// --pairs: the file's forms (with and without a header, with and without k, a manifest as it is), the
// order k gives, and each malformed file or unknown path refused with a message naming the file and row.
#include "sinforge/plan/pairs_file.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sinforge/core/error.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using Listing = std::map<std::string, std::vector<std::string>>;

class PairsFile : public ::testing::Test {
 protected:
  fs::path write(const std::string& text) {
    const fs::path file = tmp_ / ("pairs" + std::to_string(n_++) + ".csv");
    testing::write_bytes(file, text);
    return file;
  }
  std::string error_for(const std::string& text) {
    return testing::error_of<UsageError>([&] { read_pairs_file(write(text)); });
  }
  testing::TempDir tmp_;
  int n_ = 0;
};

TEST_F(PairsFile, WithoutAHeaderTheThirdFieldIsK) {
  // k orders a content's paintings whatever the rows' order; without k the rows' order does.
  const ExplicitPairs pairs =
      read_pairs_file(write("x/1.jpg,p/b.jpg,1\nx/1.jpg,p/a.jpg,0\ny/2.jpg,q/c.png\n"
                            "y/2.jpg,p/a.jpg"));
  EXPECT_EQ(pairs.paintings_of,
            (Listing{{"x/1.jpg", {"p/a.jpg", "p/b.jpg"}}, {"y/2.jpg", {"q/c.png", "p/a.jpg"}}}));
  EXPECT_TRUE(pairs.several());
}

TEST_F(PairsFile, AManifestIsAPairsFile) {
  // Its third column is the output, not k; two manifests concatenated repeat the header and may repeat rows.
  const std::string manifest =
      "content,painting,output,width,height\nx/1.jpg,p/b.jpg,x/1.jpg,40,30\n"
      "\"y/with,comma.jpg\",q/c.png,\"y/with,comma.jpg\",40,30\n";
  const ExplicitPairs pairs = read_pairs_file(
      write(manifest + "content,painting,output,width,height,tar\nx/1.jpg,p/b.jpg,x_s1,40,30,t.tar\n"));
  EXPECT_EQ(pairs.paintings_of, (Listing{{"x/1.jpg", {"p/b.jpg"}}, {"y/with,comma.jpg", {"q/c.png"}}}));
  EXPECT_FALSE(pairs.several());
}

TEST_F(PairsFile, AHeaderNamesTheKColumn) {
  const ExplicitPairs pairs = read_pairs_file(write("content,painting,k\nc.jpg,b.jpg,2\nc.jpg,a.jpg,1\n"));
  EXPECT_EQ(pairs.paintings_of, (Listing{{"c.jpg", {"a.jpg", "b.jpg"}}}));
}

TEST_F(PairsFile, MalformedFilesAreRefusedNamingTheRow) {
  EXPECT_NE(error_for("").find("lists no pairs"), std::string::npos);
  EXPECT_NE(error_for("content,painting\n").find("lists no pairs"), std::string::npos);
  EXPECT_NE(error_for("a.jpg,p.jpg\nb.jpg\n").find("row 2: expected content,painting[,k]"),
            std::string::npos);
  EXPECT_NE(error_for("a.jpg,p.jpg,one\n").find("row 1: k must be a whole number, got 'one'"),
            std::string::npos);
  EXPECT_NE(error_for("a.jpg,p.jpg,0\na.jpg,q.jpg,0\n").find("a.jpg has k 0 twice (rows 1 and 2)"),
            std::string::npos);
  EXPECT_NE(error_for("a.jpg,p.jpg,0\na.jpg,p.jpg,1\n").find("lists painting p.jpg twice"),
            std::string::npos);
  EXPECT_NE(error_for("a.jpg,\n").find("row 1: an empty path"), std::string::npos);
  EXPECT_NE(error_for("a.jpg,\"p.jpg\n").find("not closed"), std::string::npos);
  EXPECT_NE(error_for("content,painting,k\na.jpg,p.jpg\n").find("fewer than its header names"),
            std::string::npos);
  EXPECT_NE(testing::error_of<UsageError>([&] { read_pairs_file(tmp_ / "absent.csv"); }).find("cannot read"),
            std::string::npos);
}

TEST_F(PairsFile, UnknownPathsAreRefusedNamingTheFirstAndTheCount) {
  const ExplicitPairs pairs = read_pairs_file(write("x/1.jpg,p/a.jpg\nx/9.jpg,p/a.jpg\nx/8.jpg,p/z.jpg\n"));
  const std::string message = testing::error_of<UsageError>([&] {
    check_pairs_known(pairs, {"x/1.jpg", "x/2.jpg"}, {"p/a.jpg", "p/b.jpg"});
  });
  EXPECT_NE(message.find("2 content images not found in --content (the first: 'x/8.jpg')"), std::string::npos)
      << message;
  EXPECT_NE(message.find("1 painting not found in --styles (the first: 'p/z.jpg')"), std::string::npos)
      << message;
  EXPECT_EQ(testing::error_of<UsageError>([&] {
              check_pairs_known(pairs, {"x/1.jpg", "x/8.jpg", "x/9.jpg"}, {"p/a.jpg", "p/z.jpg"});
            }),
            "");
}

TEST_F(PairsFile, TheDigestChangesWithTheMap) {
  const std::string a = pairs_digest(read_pairs_file(write("x.jpg,p.jpg\n")));
  EXPECT_EQ(a, pairs_digest(read_pairs_file(write("content,painting\nx.jpg,p.jpg\n"))));
  EXPECT_NE(a, pairs_digest(read_pairs_file(write("x.jpg,q.jpg\n"))));
}

}  // namespace
}  // namespace sinforge
