// A small Go crypto/tls peer for the interop tests: TLS 1.3 only, or TLS 1.2 only with
// -max-version 1.2.
//
// Client: trusts the CA it is given, sends a request (or N bytes to an echo server) and prints
// what was negotiated:
//
//	tlspeer -addr 127.0.0.1:4433 -servername localhost -cafile ca.pem [-group p256[,x25519]] [-alpn h2,http/1.1]
//	        [-cert c.pem -key k.pem] [-echo-bytes N] [-max-version 1.2] [-ciphers IANA,NAMES]
//
// Server: an echo server for one connection, printing "listening on ADDR" first, then what was
// negotiated ("version=303 suite=NAME"), then "echoed N bytes" after the client's close_notify:
//
//	tlspeer -listen 127.0.0.1:0 -cert c.pem -key k.pem [-group p384] [-max-version 1.2] [-ciphers ...]
package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	addr := flag.String("addr", "", "host:port")
	serverName := flag.String("servername", "localhost", "SNI and the name to verify")
	caFile := flag.String("cafile", "", "PEM roots")
	group := flag.String("group", "", "x25519, p256 or p384: the only group offered")
	alpn := flag.String("alpn", "", "comma-separated ALPN protocols")
	certFile := flag.String("cert", "", "client certificate (PEM)")
	keyFile := flag.String("key", "", "client key (PEM)")
	echoBytes := flag.Int("echo-bytes", 0, "send this many random bytes and expect them back")
	listen := flag.String("listen", "", "serve one echo connection on this address")
	maxVersion := flag.String("max-version", "1.3", "1.3 (TLS 1.3 only) or 1.2 (TLS 1.2 only)")
	ciphers := flag.String("ciphers", "", "comma-separated IANA names of the TLS 1.2 suites offered or accepted")
	flag.Parse()
	versions := func(config *tls.Config) {
		switch *maxVersion {
		case "1.3":
			config.MinVersion = tls.VersionTLS13
		case "1.2":
			config.MinVersion, config.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
		default:
			fail("unknown -max-version %s", *maxVersion)
		}
		if *ciphers != "" {
			config.CipherSuites = suitesNamed(*ciphers)
		}
		config.CurvePreferences = curvesNamed(*group)
	}
	if *listen != "" {
		serveEcho(*listen, *certFile, *keyFile, versions)
		return
	}

	pem, err := os.ReadFile(*caFile)
	check(err)
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		fail("no certificate in %s", *caFile)
	}
	config := &tls.Config{RootCAs: roots, ServerName: *serverName}
	versions(config)
	if *alpn != "" {
		config.NextProtos = strings.Split(*alpn, ",")
	}
	if *certFile != "" {
		pair, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		check(err)
		config.Certificates = []tls.Certificate{pair}
	}
	conn, err := tls.Dial("tcp", *addr, config)
	check(err)
	state := conn.ConnectionState()
	fmt.Printf("version=%x suite=%s alpn=%s\n", state.Version, tls.CipherSuiteName(state.CipherSuite), state.NegotiatedProtocol)

	if *echoBytes > 0 {
		data := make([]byte, *echoBytes)
		_, err = rand.Read(data)
		check(err)
		go func() {
			_, err := conn.Write(data)
			check(err)
		}()
		back := make([]byte, len(data))
		_, err = io.ReadFull(conn, back)
		check(err)
		if !bytes.Equal(back, data) {
			fail("the echo differs from what was sent")
		}
		fmt.Printf("echoed %d bytes sha256=%x\n", len(back), sha256.Sum256(back))
		check(conn.Close())
		return
	}
	_, err = conn.Write([]byte("GET / HTTP/1.0\r\nHost: " + *serverName + "\r\n\r\n"))
	check(err)
	body, err := io.ReadAll(conn)
	check(err)
	os.Stdout.Write(body)
	check(conn.Close())
}

// curvesNamed reads -group: x25519, p256, p384, comma-separated, in order of preference.
func curvesNamed(list string) []tls.CurveID {
	var curves []tls.CurveID
	for _, name := range strings.Split(list, ",") {
		switch name {
		case "x25519":
			curves = append(curves, tls.X25519)
		case "p256":
			curves = append(curves, tls.CurveP256)
		case "p384":
			curves = append(curves, tls.CurveP384)
		case "":
		default:
			fail("unknown group %s", name)
		}
	}
	return curves
}

// suitesNamed reads -ciphers: crypto/tls's names are the IANA ones.
func suitesNamed(list string) []uint16 {
	var ids []uint16
	for _, name := range strings.Split(list, ",") {
		found := false
		for _, suite := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
			if suite.Name == name {
				ids = append(ids, suite.ID)
				found = true
			}
		}
		if !found {
			fail("unknown cipher suite %s", name)
		}
	}
	return ids
}

func serveEcho(address, certFile, keyFile string, versions func(*tls.Config)) {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	check(err)
	config := &tls.Config{Certificates: []tls.Certificate{pair}}
	versions(config)
	listener, err := tls.Listen("tcp", address, config)
	check(err)
	fmt.Printf("listening on %s\n", listener.Addr())
	os.Stdout.Sync()
	accepted, err := listener.Accept()
	check(err)
	conn := accepted.(*tls.Conn)
	check(conn.Handshake())
	state := conn.ConnectionState()
	fmt.Printf("version=%x suite=%s\n", state.Version, tls.CipherSuiteName(state.CipherSuite))
	os.Stdout.Sync()
	// Everything back until the client's close_notify, then ours.
	n, err := io.Copy(conn, conn)
	check(err)
	check(conn.Close())
	fmt.Printf("echoed %d bytes\n", n)
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlspeer: "+format+"\n", args...)
	os.Exit(1)
}
