# escape=`
# dopt-test: --option merge-consecutive-runs.merge=always
FROM mycorp/builder:1.4
RUN mkdir /app
RUN ln -s /app /srv/app
