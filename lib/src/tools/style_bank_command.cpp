#include "sinforge/tools/style_bank_command.h"

#include "sinforge/core/error.h"
#include "sinforge/model/session.h"
#include "sinforge/plan/scan.h"
#include "sinforge/records/style_bank_cache.h"
#include "sinforge/weights/weights.h"

namespace sinforge {

namespace fs = std::filesystem;

size_t make_style_bank_file(const StyleBankJob& job, std::vector<SkippedInput>& skipped) {
  const EncoderWeights encoder = load_encoder_weights(job.vgg);
  const DecoderWeights decoder = load_decoder_weights(job.decoder);
  const std::vector<fs::path> found = scan_images(job.styles_dir, job.extensions);
  if (found.empty()) throw UsageError("--styles " + job.styles_dir.string() + ": no images found");
  const Session session(job.session, encoder, decoder);
  ThreadPool pool(session.threads());
  BankRequest request{job.file,
                      false,
                      job.styles_dir,
                      found,
                      make_bank_key(job.styles_dir, found, job.vgg, job.session.precision, job.recipe),
                      {}};
  return obtain_style_bank(request, session.network(), pool, skipped).paintings.size();
}

}  // namespace sinforge
