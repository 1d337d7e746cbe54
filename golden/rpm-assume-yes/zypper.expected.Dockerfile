FROM opensuse/leap:15.5
RUN zypper install -y curl && zypper clean --all
