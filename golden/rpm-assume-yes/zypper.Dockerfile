FROM opensuse/leap:15.5
RUN zypper install curl && zypper clean --all
