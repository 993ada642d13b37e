module github.com/sockloop/sockloop

go 1.26.0

require (
	github.com/panjf2000/ants/v2 v2.12.1
	github.com/valyala/bytebufferpool v1.0.0
	golang.org/x/net v0.62.0
	golang.org/x/sys v0.50.0
)

require golang.org/x/sync v0.11.0 // indirect
