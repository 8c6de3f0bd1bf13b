// RFC 5280 §6: path building (depth first over every candidate issuer, webpki style) and the
// checks that relate a certificate to the ones below it (signature, pathLen, name constraints).
#include "duplex/x509/verify.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "duplex/x509/name_constraints.hpp"
#include "verify_internal.hpp"

namespace duplex::x509 {

std::string_view to_string(VerifyReason reason) {
  switch (reason) {
    case VerifyReason::malformed_certificate: return "malformed_certificate";
    case VerifyReason::unsupported_version: return "unsupported_version";
    case VerifyReason::bad_serial_number: return "bad_serial_number";
    case VerifyReason::unsupported_critical_extension: return "unsupported_critical_extension";
    case VerifyReason::invalid_extension: return "invalid_extension";
    case VerifyReason::empty_name: return "empty_name";
    case VerifyReason::unsupported_public_key: return "unsupported_public_key";
    case VerifyReason::weak_public_key: return "weak_public_key";
    case VerifyReason::unsupported_signature_algorithm: return "unsupported_signature_algorithm";
    case VerifyReason::weak_signature_algorithm: return "weak_signature_algorithm";
    case VerifyReason::bad_signature: return "bad_signature";
    case VerifyReason::expired: return "expired";
    case VerifyReason::not_yet_valid: return "not_yet_valid";
    case VerifyReason::not_a_ca: return "not_a_ca";
    case VerifyReason::path_len_exceeded: return "path_len_exceeded";
    case VerifyReason::key_usage_missing: return "key_usage_missing";
    case VerifyReason::extended_key_usage_missing: return "extended_key_usage_missing";
    case VerifyReason::name_constraint_violated: return "name_constraint_violated";
    case VerifyReason::name_mismatch: return "name_mismatch";
    case VerifyReason::invalid_peer_name: return "invalid_peer_name";
    case VerifyReason::unknown_issuer: return "unknown_issuer";
    case VerifyReason::path_too_long: return "path_too_long";
    case VerifyReason::key_identifier_mismatch: return "key_identifier_mismatch";
    case VerifyReason::revoked: return "revoked";
    case VerifyReason::invalid_crl: return "invalid_crl";
    case VerifyReason::budget_exhausted: return "budget_exhausted";
    case VerifyReason::no_trust_anchors: return "no_trust_anchors";
    case VerifyReason::empty_chain: return "empty_chain";
  }
  return "unknown";
}

std::string format_time(std::int64_t unix_seconds) {
  const der::CivilTime time = der::to_civil_time(unix_seconds);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(time.year), time.month,
                time.day, time.hour, time.minute, time.second);
  return buffer;
}

std::string VerificationError::message() const {
  if (subject.empty() && reason == VerifyReason::no_trust_anchors) return "no trust anchors: " + detail;
  if (reason == VerifyReason::empty_chain) return "no certificate to verify";
  return "certificate " + std::to_string(certificate_index) + " (" + (subject.empty() ? "no subject" : subject) + ") " +
         detail;
}

namespace {

using detail::Candidate;
using detail::CheckFailure;

// Q: Which error is reported when every path fails?
// A: The most useful one, as webpki ranks them: a problem found on a real issuer (expired, bad
//    signature, constraints) beats a wrong name, which beats not finding the issuer at all.
int usefulness(VerifyReason reason) {
  switch (reason) {
    case VerifyReason::budget_exhausted: return 100;
    case VerifyReason::revoked: return 60;
    case VerifyReason::expired:
    case VerifyReason::not_yet_valid: return 50;
    case VerifyReason::name_mismatch: return 20;
    case VerifyReason::path_too_long: return 5;
    case VerifyReason::key_identifier_mismatch: return 2;
    case VerifyReason::unknown_issuer: return 1;
    default: return 30;
  }
}

class PathBuilder {
 public:
  PathBuilder(const VerifyOptions& options, Candidate leaf, std::vector<Candidate> intermediates)
      : options_(options), budget_(options.budget), leaf_(std::move(leaf)), intermediates_(std::move(intermediates)) {}

  Result<VerifiedPath, VerificationError> run();

 private:
  void extend(std::vector<const Candidate*>& path);
  // The checks of `issuer` placed above `path`; the failure's index is along path + issuer.
  Result<Unit, std::pair<std::size_t, CheckFailure>> check_issuer(const std::vector<const Candidate*>& path,
                                                                  Candidate& issuer);
  void record(const std::vector<const Candidate*>& path, const Candidate* last, std::size_t index, CheckFailure failure);
  const std::vector<Candidate*>& anchors_named(std::span<const std::uint8_t> name);

  const VerifyOptions& options_;
  VerifyBudget budget_;
  Candidate leaf_;
  std::vector<Candidate> intermediates_;
  // Anchors decoded on first use (a system store holds ~150; a path touches one or two).
  std::vector<std::unique_ptr<Candidate>> anchor_storage_;
  std::map<std::vector<std::uint8_t>, std::vector<Candidate*>> anchors_by_name_;

  std::optional<std::vector<const Candidate*>> found_;
  std::optional<VerificationError> best_;
  std::vector<PathAttempt> attempts_;
  bool fatal_ = false;
};

const std::vector<Candidate*>& PathBuilder::anchors_named(std::span<const std::uint8_t> name) {
  std::vector<std::uint8_t> key(name.begin(), name.end());
  auto found = anchors_by_name_.find(key);
  if (found != anchors_by_name_.end()) return found->second;
  std::vector<Candidate*> out;
  for (const Certificate* anchor : options_.roots->find_by_subject(name)) {
    auto candidate = detail::make_candidate(*anchor);
    if (!candidate) continue;  // an anchor we cannot decode can anchor nothing
    candidate->anchor = true;
    candidate->lenient_profile = !options_.strict_trust_anchors;
    anchor_storage_.push_back(std::make_unique<Candidate>(std::move(*candidate)));
    out.push_back(anchor_storage_.back().get());
  }
  return anchors_by_name_.emplace(std::move(key), std::move(out)).first->second;
}

void PathBuilder::record(const std::vector<const Candidate*>& path, const Candidate* last, std::size_t index,
                         CheckFailure failure) {
  const Candidate* concerned = index < path.size() ? path[index] : last;
  VerificationError error{failure.reason, index, concerned ? concerned->certificate.subject.text : "", failure.detail, {}};
  if (!best_ || usefulness(error.reason) > usefulness(best_->reason)) best_ = error;
  if (failure.reason == VerifyReason::budget_exhausted) fatal_ = true;
  if (!options_.explain) return;
  PathAttempt attempt{{}, failure.reason, index, std::move(failure.detail)};
  for (const Candidate* candidate : path) attempt.subjects.push_back(candidate->certificate.subject.text);
  if (last) attempt.subjects.push_back(last->certificate.subject.text);
  attempts_.push_back(std::move(attempt));
}

Result<Unit, std::pair<std::size_t, CheckFailure>> PathBuilder::check_issuer(const std::vector<const Candidate*>& path,
                                                                             Candidate& issuer) {
  const std::size_t index = path.size();
  auto at = [&](std::size_t i, CheckFailure failure) { return fail(std::make_pair(i, std::move(failure))); };
  // Each issuer's own rules are checked once per verification, when it is first reached (an
  // extra certificate the peer sent that no path uses is never judged).
  if (!issuer.checked) {
    issuer.checked = true;
    if (auto common = detail::check_common(issuer); !common) issuer.common_failure = common.error();
  }
  if (issuer.common_failure) return at(index, *issuer.common_failure);
  if (issuer.anchor) {
    // A self-signed anchor's AKI, when present, names its own key (RFC 5280 §4.2.1.1).
    const auto& aki = issuer.extensions.authority_key_identifier;
    const auto& ski = issuer.extensions.subject_key_identifier;
    if (!issuer.lenient_profile && issuer.self_issued && aki && aki->key_identifier && ski &&
        !std::ranges::equal(*aki->key_identifier, *ski))
      return at(index, {VerifyReason::key_identifier_mismatch,
                        "is self-signed but its authorityKeyIdentifier differs from its subjectKeyIdentifier"});
  }
  if (auto validity = detail::check_validity(issuer, options_.time); !validity) return at(index, validity.error());
  if (auto role = detail::check_issuer_role(issuer, options_.purpose); !role) return at(index, role.error());
  // RFC 5280 §6.1.4 (l)-(m): pathLenConstraint counts the non-self-issued intermediates below.
  std::uint32_t below = 0;
  for (std::size_t i = 1; i < path.size(); ++i)
    if (!path[i]->self_issued) ++below;
  if (const auto& length = issuer.extensions.basic_constraints->path_len; length && below > *length)
    return at(index, {VerifyReason::path_len_exceeded, "allows " + std::to_string(*length) +
                                                           " intermediate(s) below it, and the path has " +
                                                           std::to_string(below)});
  // RFC 5280 §6.1.3 (b)-(c): the names of every certificate below, except self-issued
  // intermediates, against this CA's constraints.
  if (const auto& constraints = issuer.extensions.name_constraints) {
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (i != 0 && path[i]->self_issued) continue;
      auto checked = check_name_constraints(*constraints, path[i]->certificate, path[i]->sans, budget_.name_comparisons);
      if (checked) continue;
      if (checked.error().code == NameConstraintError::budget_exhausted)
        return at(index, {VerifyReason::budget_exhausted, "needs more name-constraint comparisons than the budget allows"});
      return at(i, {VerifyReason::name_constraint_violated,
                    "violates the name constraints of " + issuer.certificate.subject.text + ": " + checked.error().detail});
    }
  }
  // RFC 5280 §6.1.3 (a)(1): the signature, last because it is the costly check.
  if (budget_.signatures == 0)
    return at(index, {VerifyReason::budget_exhausted, "would need more signature checks than the budget allows"});
  --budget_.signatures;
  if (auto signature = detail::check_signature(*path.back(), issuer); !signature) return at(index - 1, signature.error());
  // RFC 5280 §6.3: the certificate below against its issuer's CRLs, once the issuer is known.
  if (!options_.crls.empty()) {
    auto status = detail::check_revocation(*path.back(), issuer, options_.crls, options_.time, budget_.signatures);
    if (!status) return at(status.error().reason == VerifyReason::budget_exhausted ? index : index - 1, status.error());
  }
  return Unit{};
}

void PathBuilder::extend(std::vector<const Candidate*>& path) {
  const Candidate& current = *path.back();
  const auto issuer_name = current.certificate.issuer.der;
  std::vector<Candidate*> candidates = anchors_named(issuer_name);
  for (auto& intermediate : intermediates_)
    if (std::ranges::equal(intermediate.certificate.subject.der, issuer_name)) candidates.push_back(&intermediate);

  bool any = false;
  std::size_t other_key = 0;  // candidates named right but with another key identifier
  for (Candidate* candidate : candidates) {
    // Loop detection: a certificate (or the same subject and key) once per path.
    const bool repeated = std::ranges::any_of(path, [&](const Candidate* seen) {
      return std::ranges::equal(seen->certificate.der, candidate->certificate.der) ||
             (std::ranges::equal(seen->certificate.subject.der, candidate->certificate.subject.der) &&
              std::ranges::equal(seen->certificate.subject_public_key_info.der,
                                 candidate->certificate.subject_public_key_info.der));
    });
    if (repeated) continue;
    // RFC 5280 §4.2.1.1: the AKI's keyIdentifier names the issuer's SKI; a CA with another key
    // identifier is not this certificate's issuer.
    const auto& aki = current.extensions.authority_key_identifier;
    const auto& ski = candidate->extensions.subject_key_identifier;
    if (aki && aki->key_identifier && ski && !std::ranges::equal(*aki->key_identifier, *ski)) {
      ++other_key;
      continue;
    }
    any = true;
    if (budget_.candidates == 0) {
      record(path, candidate, path.size(), {VerifyReason::budget_exhausted, "would need more candidate issuers than the budget allows"});
      return;
    }
    --budget_.candidates;
    // An intermediate that would make the path too long is refused before any signature is
    // checked; self-issued ones do not count (as for pathLenConstraint), but the path has a hard
    // bound all the same.
    if (!candidate->anchor) {
      std::uint32_t intermediates = candidate->self_issued ? 0 : 1;
      for (std::size_t i = 1; i < path.size(); ++i)
        if (!path[i]->self_issued) ++intermediates;
      if (intermediates > options_.max_intermediates || path.size() > 2 * std::size_t{options_.max_intermediates} + 2) {
        record(path, candidate, path.size(),
               {VerifyReason::path_too_long, "would make the path longer than " +
                                                 std::to_string(options_.max_intermediates) + " intermediate(s)"});
        continue;
      }
    }
    if (auto checked = check_issuer(path, *candidate); !checked) {
      record(path, candidate, checked.error().first, checked.error().second);
      if (fatal_) return;
      continue;
    }
    if (candidate->anchor) {
      found_ = path;
      found_->push_back(candidate);
      return;
    }
    path.push_back(candidate);
    extend(path);
    path.pop_back();
    if (found_ || fatal_) return;
  }
  if (!any && other_key > 0)
    record(path, nullptr, path.size() - 1,
           {VerifyReason::key_identifier_mismatch,
            "names the key identifier of its issuer " + current.certificate.issuer.text + ", and none of the " +
                std::to_string(other_key) + " certificate(s) of that name has it"});
  else if (!any)
    record(path, nullptr, path.size() - 1,
           {VerifyReason::unknown_issuer, "was issued by " + current.certificate.issuer.text +
                                              ", which is neither a trust anchor nor among the intermediates given"});
}

Result<VerifiedPath, VerificationError> PathBuilder::run() {
  auto leaf_error = [&](CheckFailure failure) {
    return fail(VerificationError{failure.reason, 0, leaf_.certificate.subject.text, std::move(failure.detail), {}});
  };
  if (!options_.roots || options_.roots->empty())
    return fail(VerificationError{VerifyReason::no_trust_anchors, 0, "", "the trust store is empty", {}});
  if (auto common = detail::check_common(leaf_); !common) return leaf_error(common.error());
  if (auto validity = detail::check_validity(leaf_, options_.time); !validity) return leaf_error(validity.error());
  if (auto role = detail::check_leaf_role(leaf_, options_.purpose, options_.require_digital_signature); !role) return leaf_error(role.error());
  std::optional<CheckFailure> name_failure;
  if (!options_.peer_name.empty()) {
    if (auto name = detail::check_peer_name(leaf_, options_.peer_name, options_.allow_common_name_fallback); !name) {
      if (name.error().reason == VerifyReason::invalid_peer_name) return leaf_error(name.error());
      name_failure = name.error();
    }
  }
  std::vector<const Candidate*> path{&leaf_};
  // Q: Is a leaf that is itself in the trust store trusted? A: Yes, as Go and OpenSSL do: a
  //    self-signed certificate pinned as its own anchor (development servers, --cafile of the
  //    server's own certificate). The leaf's own rules above still apply; webpki refuses this.
  if (options_.roots->contains(leaf_.certificate)) found_ = path;
  else extend(path);
  if (found_ && !name_failure) {
    VerifiedPath out;
    for (const Candidate* candidate : *found_) out.certificates.push_back(candidate->certificate);
    out.attempts = std::move(attempts_);
    return out;
  }
  VerificationError error;
  if (name_failure && (found_ || !best_ || usefulness(best_->reason) < usefulness(VerifyReason::name_mismatch)))
    error = {name_failure->reason, 0, leaf_.certificate.subject.text, name_failure->detail, {}};
  else
    error = best_.value_or(VerificationError{VerifyReason::unknown_issuer, 0, leaf_.certificate.subject.text,
                                             "has no path to a trust anchor", {}});
  error.attempts = std::move(attempts_);
  return fail(std::move(error));
}

}  // namespace

Result<VerifiedPath, VerificationError> verify_certificate_chain(const Certificate& leaf,
                                                                 std::span<const Certificate> intermediates,
                                                                 const VerifyOptions& options) {
  auto leaf_candidate = detail::make_candidate(leaf);
  if (!leaf_candidate)
    return fail(VerificationError{leaf_candidate.error().reason, 0, leaf.subject.text, leaf_candidate.error().detail, {}});
  std::vector<Candidate> candidates;
  for (const auto& certificate : intermediates) {
    // Undecodable intermediates are skipped: a peer may send extras, and another path may work.
    if (auto candidate = detail::make_candidate(certificate)) candidates.push_back(std::move(*candidate));
  }
  return PathBuilder(options, std::move(*leaf_candidate), std::move(candidates)).run();
}

Result<VerifiedPath, VerificationError> verify_certificate_chain(std::span<const std::vector<std::uint8_t>> der_chain,
                                                                 const VerifyOptions& options) {
  if (der_chain.empty()) return fail(VerificationError{VerifyReason::empty_chain, 0, "", "no certificate was given", {}});
  auto leaf = parse_certificate(der_chain.front());
  if (!leaf)
    return fail(VerificationError{VerifyReason::malformed_certificate, 0, "", "is malformed: " + leaf.error().message(), {}});
  std::vector<Certificate> intermediates;
  for (const auto& der : der_chain.subspan(1))
    if (auto certificate = parse_certificate(der)) intermediates.push_back(std::move(*certificate));
  return verify_certificate_chain(*leaf, intermediates, options);
}

}  // namespace duplex::x509
