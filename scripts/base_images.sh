#!/usr/bin/env bash
# Build local stand-ins for public base images, tagged like the public ones, for `dopt verify` tests
# and bench/image_size.py. No registry is reachable here; see ../shared/notes/base-images.md for why
# each step is there (apt settings of the official images, slim excludes, buildpack-deps sets, CA bundle).
#
#   scripts/base_images.sh            # debian:bookworm{,-slim}, python:3.1x-slim
#   DOPT_FAMILIES=go,node,rust,java,pytorch (any of them; "all" is the first four) adds the family images:
#     go: golang:1.19-bookworm and gcr.io/distroless/static-debian12{,:nonroot}; node: node:18-bookworm{,-slim};
#     rust: rust:1.63-bookworm; java: eclipse-temurin:17-jdk/-jre (node:18 and rust on buildpack-deps:bookworm);
#     pytorch: pytorch/pytorch:2.13.0-cuda12.8-cudnn9-runtime/-devel (CPU torch, about 1 GB);
#     python-full: python:3.x on buildpack-deps, as DOPT_FULL_PYTHON=1)
#   DOPT_FULL_PYTHON=1 scripts/base_images.sh   # also python:3.1x (buildpack-deps based, ~1 GB)
#   DOPT_FAMILIES=all scripts/base_images.sh    # also the Go/Node/Rust/Java family images (not built by default)
#   DOPT_FAMILIES=go scripts/base_images.sh     # only what examples/go-http needs (what CI builds)
#
# Needs root, buildah and debootstrap. Images already present are kept (delete them to rebuild).
# They go to buildah's default store; `dopt verify` never writes there: each run builds in a
# temporary store of its own and attaches this one read-only (vfs.imagestore=) for the bases.
set -euo pipefail

BUILDAH=(buildah --storage-driver vfs)
MIRROR=${DOPT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CA=${DOPT_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
WORK=$(mktemp -d /var/tmp/dopt-base.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

have() { "${BUILDAH[@]}" inspect --type image "$1" >/dev/null 2>&1; }
want() {  # want FAMILY: asked for in DOPT_FAMILIES (a comma list; "all" or "1": go, node, rust, java)
    case ",${DOPT_FAMILIES:-}," in
        *",$1,"*) return 0 ;;
        *,all,* | *,1,*) [ "$1" != pytorch ] ;;
        *) return 1 ;;
    esac
}
log() { printf '[base-images] %s\n' "$*" >&2; }

bud() {  # bud TAG... < Dockerfile   (context: $WORK/ctx)
    local file="$WORK/Dockerfile.$RANDOM"
    cat > "$file"
    local tags=()
    for t in "$@"; do tags+=(-t "$t"); done
    "${BUILDAH[@]}" bud --isolation chroot --pull-never --layers=false -q -f "$file" "${tags[@]}" "$WORK/ctx" >/dev/null
}

mkdir -p "$WORK/ctx"
cp "$CA" "$WORK/ctx/ca-certificates.crt"

if ! have debian:bookworm || ! have debian:bookworm-slim; then
    log "debootstrap --variant=minbase bookworm"
    root="$WORK/rootfs"
    debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
    conf="$root/etc/apt/apt.conf.d"
    cat > "$conf/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
    echo 'Acquire::Languages "none";' > "$conf/docker-no-languages"
    printf 'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";\n' > "$conf/docker-gzip-indexes"
    echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$conf/docker-autoremove-suggests"
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$MIRROR" "$MIRROR" > "$root/etc/apt/sources.list"
    # the host bundle (with the TLS proxy's CA); also where update-ca-certificates keeps it when a
    # Dockerfile installs ca-certificates and the bundle is regenerated
    mkdir -p "$root/etc/ssl/certs" "$root/usr/local/share/ca-certificates"
    cp "$CA" "$root/etc/ssl/certs/ca-certificates.crt"
    cp "$CA" "$root/usr/local/share/ca-certificates/dopt-host-bundle.crt"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
    tar -C "$root" -cf "$WORK/ctx/full.tar" .
    # slim: the official excludes, and those files removed
    cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/info/*
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
CONF
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
    rm -rf "$root"/usr/share/{info,man,groff,linda,lintian,locale}/*
    tar -C "$root" -cf "$WORK/ctx/slim.tar" .
    rm -rf "$root"
    env='ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_CERT=/etc/ssl/certs/ca-certificates.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt'
    log "tag debian:bookworm"
    printf 'FROM scratch\nADD full.tar /\n%s\nCMD ["bash"]\n' "$env" | bud debian:bookworm debian:12
    log "tag debian:bookworm-slim"
    printf 'FROM scratch\nADD slim.tar /\n%s\nCMD ["bash"]\n' "$env" | bud debian:bookworm-slim debian:12-slim
    rm -f "$WORK/ctx/full.tar" "$WORK/ctx/slim.tar"
fi

python_layer='RUN apt-get update \
 && apt-get install -y --no-install-recommends %s \
 && if [ -n "%s" ]; then cd /tmp && apt-get download "libpython3.11-dev" \
      && dpkg-deb -x libpython3.11-dev_*.deb /tmp/pydev && cp -a /tmp/pydev/usr/include/. /usr/include/ \
      && rm -rf /tmp/pydev /tmp/*.deb; fi \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /usr/bin/python3 /usr/local/bin/python \
 && ln -sf /usr/bin/pip3 /usr/local/bin/pip \
 && rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
ENV LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1
CMD ["python3"]
'
slim_tags=(python:3.11-slim python:3.11-slim-bookworm python:3.10-slim python:3.12-slim python:3.9-slim python:3-slim)
if ! have python:3.11-slim; then
    log "tag ${slim_tags[*]}"
    # shellcheck disable=SC2059
    # like the official image, the headers are there (Python.h) but no -dev package is installed
    printf "FROM debian:bookworm-slim\n$python_layer" "python3 python3-pip python3-venv" headers | bud "${slim_tags[@]}"
fi

buildpack_deps() {  # buildpack-deps:bookworm: the base of the full python, node (and golang's -scm) images
    have buildpack-deps:bookworm && return 0
    log "tag buildpack-deps:bookworm (large)"
    bud buildpack-deps:bookworm <<'DF'
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
    ca-certificates curl gnupg netbase sq wget \
    git mercurial openssh-client subversion procps \
    autoconf automake bzip2 default-libmysqlclient-dev dpkg-dev file g++ gcc imagemagick libbz2-dev \
    libc6-dev libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev libglib2.0-dev libgmp-dev \
    libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev libmagickwand-dev libmaxminddb-dev libncurses5-dev \
    libncursesw5-dev libpng-dev libpq-dev libreadline-dev libsqlite3-dev libssl-dev libtool libwebp-dev \
    libxml2-dev libxslt-dev libyaml-dev make patch unzip xz-utils zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
DF
}

if { [ "${DOPT_FULL_PYTHON:-0}" = 1 ] || want python-full; } && ! have python:3.11; then
    buildpack_deps
    log "tag python:3.11 (large)"
    # shellcheck disable=SC2059
    printf "FROM buildpack-deps:bookworm\n$python_layer" "python3 python3-dev python3-pip python3-venv" "" \
        | bud python:3.11 python:3.11-bookworm python:3.10 python:3.12 python:3
fi
if [ -n "${DOPT_FAMILIES:-}" ]; then
    # Go, Node and Rust from Debian bookworm's own packages (Go 1.19, Node.js 18 with npm 9, Rust 1.63), tagged with the
    # versions they really are. What matters for the split (../shared/notes/base-images.md):
    # - golang: the official image is buildpack-deps:bookworm-scm (curl and scm sets: CA certificates, git)
    #   plus gcc, libc6-dev, make, pkg-config, with GOPATH=/go, /go/bin on PATH and WORKDIR /go;
    # - node: the full tag is buildpack-deps:bookworm plus node, -slim is bookworm-slim plus node; both have a
    #   `node` user (uid/gid 1000); node reads the host bundle through NODE_EXTRA_CA_CERTS (TLS proxy);
    # - distroless/static: no shell, no package manager; CA bundle, zoneinfo, /etc/passwd and /etc/group with
    #   root (0), nobody (65534) and nonroot (65532); the :nonroot tag runs as 65532 in /home/nonroot.
    if want go && ! have golang:1.19-bookworm; then
        log "tag golang:1.19-bookworm, golang:1.19"
        bud golang:1.19-bookworm golang:1.19 <<'DF'
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
    ca-certificates curl gnupg netbase wget git mercurial openssh-client subversion procps \
    g++ gcc libc6-dev make pkg-config golang-go \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /go/bin /go/src && chmod -R 1777 /go
ENV GOPATH=/go PATH=/go/bin:/usr/lib/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
DF
    fi
    node_layer='RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
'
    if want node && ! have node:18-bookworm-slim; then
        log "tag node:18-bookworm-slim, node:18-slim"
        # shellcheck disable=SC2059
        printf "FROM debian:bookworm-slim\n$node_layer" | bud node:18-bookworm-slim node:18-slim
    fi
    if want node && ! have node:18-bookworm; then
        buildpack_deps
        log "tag node:18-bookworm, node:18"
        # shellcheck disable=SC2059
        printf "FROM buildpack-deps:bookworm\n$node_layer" | bud node:18-bookworm node:18
    fi
    if want rust && ! have rust:1.63-bookworm; then
        buildpack_deps
        # the official rust image: buildpack-deps:bookworm plus rustup's toolchain in /usr/local/cargo
        # (CARGO_HOME, on PATH); here Debian's rustc/cargo 1.63
        log "tag rust:1.63-bookworm, rust:1.63"
        bud rust:1.63-bookworm rust:1.63 <<'DF'
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends rustc cargo \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/cargo/bin && chmod -R a+w /usr/local/cargo
ENV CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DF
    fi
    # eclipse-temurin: the official JDK/JRE images are Ubuntu with Temurin in /opt/java/openjdk (JAVA_HOME, on PATH)
    # plus fontconfig, locales, tzdata, curl and wget; here Debian bookworm's OpenJDK 17, linked to the same place.
    # The -jre tag has the runtime only (no javac, no jar tool): what the split relies on.
    temurin_layer='RUN apt-get update && apt-get install -y --no-install-recommends %s \
    ca-certificates p11-kit fontconfig locales tzdata curl wget \
 && rm -rf /var/lib/apt/lists/* \
 && echo "en_US.UTF-8 UTF-8" >> /etc/locale.gen && locale-gen en_US.UTF-8 \
 && mkdir -p /opt/java && ln -s "$(dirname "$(dirname "$(readlink -f /usr/bin/java)")")" /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8
ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["jshell"]
'
    if want java && ! have eclipse-temurin:17-jdk; then
        log "tag eclipse-temurin:17-jdk, eclipse-temurin:17"
        # shellcheck disable=SC2059
        printf "FROM debian:bookworm\n$temurin_layer" openjdk-17-jdk-headless | bud eclipse-temurin:17-jdk eclipse-temurin:17
    fi
    if want java && ! have eclipse-temurin:17-jre; then
        log "tag eclipse-temurin:17-jre"
        # shellcheck disable=SC2059
        printf "FROM debian:bookworm\n$temurin_layer" openjdk-17-jre-headless | sed 's/^CMD .*/CMD ["java", "-version"]/' \
            | bud eclipse-temurin:17-jre
    fi
    if want go && ! have gcr.io/distroless/static-debian12; then
        log "tag gcr.io/distroless/static-debian12{,:nonroot}"
        bud dopt-distroless-rootfs <<'DF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /rootfs/etc/ssl/certs /rootfs/usr/share /rootfs/tmp /rootfs/home/nonroot /rootfs/root \
 && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ \
 && cp -a /usr/share/zoneinfo /rootfs/usr/share/ \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > /rootfs/etc/passwd \
 && printf 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n' > /rootfs/etc/group \
 && printf 'hosts: files dns\n' > /rootfs/etc/nsswitch.conf \
 && chmod 1777 /rootfs/tmp && chown 65532:65532 /rootfs/home/nonroot && chmod 700 /rootfs/root
DF
        bud gcr.io/distroless/static-debian12 gcr.io/distroless/static-debian12:latest <<'DF'
FROM dopt-distroless-rootfs AS rootfs
FROM scratch
COPY --from=rootfs /rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
DF
        bud gcr.io/distroless/static-debian12:nonroot <<'DF'
FROM gcr.io/distroless/static-debian12
USER 65532
WORKDIR /home/nonroot
DF
        # the stage container buildah keeps for `COPY --from=rootfs` (ours, by its name), then the image
        "${BUILDAH[@]}" rm dopt-distroless-rootfs-working-container >/dev/null 2>&1 || true
        "${BUILDAH[@]}" rmi dopt-distroless-rootfs >/dev/null 2>&1 || true
    fi
fi
if want pytorch; then
    # pytorch/pytorch -runtime and -devel stand-ins: no CUDA here, so the CPU build of torch on Debian's Python
    # 3.11 (the wheel this machine keeps on disk, or DOPT_TORCH_WHEEL), WORKDIR /workspace as in the official
    # images; -devel adds the C/C++ toolchain and headers, as the official one adds CUDA's nvcc and headers
    # (the official -devel is several GB larger; here the difference is only the toolchain).
    pt=pytorch/pytorch:2.13.0-cuda12.8-cudnn9
    if ! have "$pt-runtime"; then
        wheel=$(ls ${DOPT_TORCH_WHEEL:-/opt/wheels/torch-2.13.0+cpu-cp311-cp311-*.whl} 2>/dev/null | head -1)
        [ -n "$wheel" ] || { log "no torch wheel for Python 3.11 (set DOPT_TORCH_WHEEL)"; exit 1; }
        cp "$wheel" "$WORK/ctx/"
        log "tag $pt-runtime (large)"
        bud "$pt-runtime" <<DF
FROM python:3.11-slim
COPY $(basename "$wheel") /tmp/
RUN pip install --no-cache-dir /tmp/$(basename "$wheel") && rm -f /tmp/*.whl
WORKDIR /workspace
DF
        rm -f "$WORK/ctx/$(basename "$wheel")"
    fi
    if ! have "$pt-devel"; then
        log "tag $pt-devel"
        bud "$pt-devel" <<DF
FROM $pt-runtime
RUN apt-get update && apt-get install -y --no-install-recommends build-essential git ninja-build \
 && rm -rf /var/lib/apt/lists/*
DF
    fi
fi
"${BUILDAH[@]}" images --format '{{.Name}}:{{.Tag}} {{.Size}}' >&2
