#!/bin/sh
# duplex x509 verify | show on a chain made by `openssl req/x509` here: exit 0 and the path when
# trusted, 1 and the reason when not, 2 for usage or input errors.   usage: cli_test.sh DUPLEX
set -u
duplex=$1
case $duplex in /*) ;; *) duplex=$(pwd)/$duplex ;; esac
skip=$(dirname "$0")/../../skip.sh
command -v openssl >/dev/null || exec sh "$skip" "openssl not found, needed by cli_test.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
failures=0
check() {  # check NAME EXPECTED_STATUS PATTERN -- ARGS...
  name=$1 want=$2 pattern=$3
  shift 4
  "$duplex" x509 "$@" >out.txt 2>&1
  got=$?
  if [ "$got" != "$want" ] || ! grep -q -- "$pattern" out.txt; then
    echo "FAIL $name: status $got (wanted $want), output:"; cat out.txt
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

quiet() { "$@" >/dev/null 2>&1 || { echo "setup failed: $*"; exit 1; }; }
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem \
  -days 30 -subj "/CN=CLI Test Root" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"
quiet openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=cli.example"
cat >leaf.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:cli.example,IP:127.0.0.1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
quiet openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -CAcreateserial -days 10 -extfile leaf.ext -out leaf.pem
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -out other.pem \
  -days 30 -subj "/CN=Unrelated Root" -addext "basicConstraints=critical,CA:TRUE"

# A CRL of the root that revokes the leaf (openssl ca needs its small database).
cat >ca.cnf <<'CNF'
[ca]
default_ca = test
[test]
database = index.txt
crlnumber = crlnumber
default_md = sha256
default_crl_days = 30
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid
CNF
: >index.txt
echo 01 >crlnumber
quiet openssl ca -config ca.cnf -cert root.pem -keyfile root.key -revoke leaf.pem
quiet openssl ca -config ca.cnf -cert root.pem -keyfile root.key -gencrl -out root.crl

now=$(date +%s)
check trusted 0 "CN=CLI Test Root" -- verify leaf.pem --roots root.pem --host cli.example
check trusted_ip 0 "CN=cli.example" -- verify leaf.pem --roots root.pem --ip 127.0.0.1
check wrong_name 1 "name_mismatch" -- verify leaf.pem --roots root.pem --host other.example
check expired 1 "expired" -- verify leaf.pem --roots root.pem --host cli.example --time $((now + 40 * 86400))
check client_purpose 1 "extended_key_usage_missing" -- verify leaf.pem --roots root.pem --purpose client
check explain 1 "unknown_issuer" -- verify leaf.pem --roots other.pem --host cli.example --explain
check bad_purpose 2 "purpose" -- verify leaf.pem --roots root.pem --purpose nobody
check host_and_ip 2 "not both" -- verify leaf.pem --roots root.pem --host a.example --ip 127.0.0.1
check missing_file 2 "cannot read" -- verify missing.pem --roots root.pem
check revoked 1 "revoked" -- verify leaf.pem --roots root.pem --host cli.example --crl root.crl
check show 0 "subjectAltName: DNS:cli.example, IP:127.0.0.1" -- show leaf.pem
check show_usage 2 "usage" -- show
[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
