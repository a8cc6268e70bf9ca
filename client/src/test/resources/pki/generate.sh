#!/usr/bin/env bash
# Regenerates the test PKI (see README.md). Run from this folder.
set -euo pipefail
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 36500 -subj "/CN=lifeline-test-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=serverAuth" \
  "subjectAltName=DNS:localhost,DNS:kubernetes.example,DNS:*.apiserver.example,IP:127.0.0.1,IP:::1" > server.ext
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=kube-apiserver"
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 36500 -extfile server.ext
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=clientAuth" > client.ext
openssl genrsa -traditional -out client-rsa-pkcs1.key 2048
openssl pkcs8 -topk8 -nocrypt -in client-rsa-pkcs1.key -out client-rsa-pkcs8.key
openssl req -new -key client-rsa-pkcs1.key -out client-rsa.csr -subj "/O=system:masters/CN=rsa-user"
openssl x509 -req -in client-rsa.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client-rsa.crt -days 36500 -extfile client.ext
openssl ecparam -name prime256v1 -genkey -out client-ec-sec1-params.key
openssl ec -in client-ec-sec1-params.key -out client-ec-sec1.key
openssl pkcs8 -topk8 -nocrypt -in client-ec-sec1.key -out client-ec-pkcs8.key
openssl req -new -key client-ec-sec1.key -out client-ec.csr -subj "/CN=ec-user"
openssl x509 -req -in client-ec.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client-ec.crt -days 36500 -extfile client.ext
openssl ecparam -name secp384r1 -genkey -noout -out ec384-sec1.key
openssl genpkey -algorithm ed25519 -out ed25519-pkcs8.key
openssl pkcs8 -topk8 -in client-rsa-pkcs1.key -out client-rsa-encrypted-pkcs8.key -passout pass:secret -v2 aes-256-cbc
openssl rsa -in client-rsa-pkcs1.key -traditional -aes256 -passout pass:secret -out client-rsa-encrypted-pkcs1.key
rm -f ./*.csr ./*.srl ./*.ext
