package loop_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/sockloop/sockloop/loop"
)

// fileServer sends every client the same file and closes.
type fileServer struct {
	loop.BaseHandler
	path string
}

func (h fileServer) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	f, err := os.Open(h.path)
	if err != nil {
		return nil, loop.Close
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, loop.Close
	}
	c.Write([]byte("file: "))
	err = c.SendFile(f, 0, st.Size(), func(c *loop.Conn, err error) { f.Close() })
	if err != nil {
		f.Close()
	}
	return nil, loop.Close // once the file has gone out
}

// SendFile queues a range of a file in order with other output, sent by
// the kernel (sendfile(2)) over as many loop turns as it takes.
func ExampleConn_SendFile() {
	dir, err := os.MkdirTemp("", "sockloop")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "hello.txt")
	if err := os.WriteFile(path, []byte("hello from disk"), 0o600); err != nil {
		log.Fatal(err)
	}

	c, stop := serve(fileServer{path: path})
	defer stop()
	b, _ := io.ReadAll(c)
	fmt.Println(string(b))
	// Output: file: hello from disk
}
