from debian:bookworm
run apt-get update
run apt-get install -y make