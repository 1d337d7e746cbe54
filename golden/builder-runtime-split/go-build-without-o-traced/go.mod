module example.com/demo/hello-server/v2

go 1.22
