package slackfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// File is a file uploaded through files.getUploadURLExternal, the upload URL
// and files.completeUploadExternal.
type File struct {
	ID             string
	Name           string
	Title          string
	Length         int    // as announced to files.getUploadURLExternal
	Data           []byte // bytes posted to the upload URL
	Uploaded       bool
	Completed      bool
	Channel        string // channel_id, or the channels list, given on completion
	ThreadTS       string
	InitialComment string
}

// Files returns every file, in the order their upload URLs were issued.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, 0, len(s.fileIDs))
	for _, id := range s.fileIDs {
		f := *s.files[id]
		f.Data = slices.Clone(f.Data)
		out = append(out, f)
	}
	return out
}

func (s *Server) filesGetUploadURL(c Call) reply {
	name := c.Param("filename")
	length, err := strconv.Atoi(c.Param("length"))
	if name == "" || err != nil || length <= 0 {
		return apiError("invalid_arguments")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &File{ID: s.nextIDLocked("F"), Name: name, Length: length}
	s.files[f.ID] = f
	s.fileIDs = append(s.fileIDs, f.ID)
	return reply{"upload_url": s.base + "/upload/" + f.ID, "file_id": f.ID}
}

// handleUpload takes the file bytes: slack-go posts them as the multipart
// field "file"; a plain body is taken as the file itself. The post is recorded
// as a Call with Method "file_upload".
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	c := readCall(r)
	c.Method = "file_upload"
	id := r.PathValue("id")
	c.Params["file_id"] = id
	if f, ok := s.takeFailure(c.Method); ok {
		c.Failed = true
		s.record(c)
		writeFailure(w, f)
		return
	}
	data, err := uploadedBytes(r.Header.Get("Content-Type"), c.Body)
	s.mu.Lock()
	f, known := s.files[id]
	if known && err == nil {
		f.Data, f.Uploaded = data, true
	}
	s.mu.Unlock()
	s.record(c)
	switch {
	case !known:
		http.Error(w, "no such upload", http.StatusNotFound)
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadRequest)
	default:
		fmt.Fprintf(w, "OK - %d", len(data))
	}
}

func uploadedBytes(contentType string, body []byte) ([]byte, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	if !strings.HasPrefix(mt, "multipart/") {
		return body, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, fmt.Errorf("no file part: %w", err)
		}
		if part.FormName() == "file" {
			return io.ReadAll(part)
		}
	}
}

func (s *Server) filesCompleteUpload(c Call) reply {
	var list []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	raw, ok := rawParam(c, "files")
	if !ok || raw == nil || json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return apiError("invalid_arguments")
	}
	channel := c.Param("channel_id")
	if channel == "" {
		channel = c.Param("channels")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range list {
		if f, ok := s.files[it.ID]; !ok || !f.Uploaded {
			return apiError("file_not_found")
		}
	}
	out := []map[string]any{}
	for _, it := range list {
		f := s.files[it.ID]
		f.Title = it.Title
		if f.Title == "" {
			f.Title = f.Name
		}
		f.Completed, f.Channel = true, channel
		f.ThreadTS, f.InitialComment = c.Param("thread_ts"), c.Param("initial_comment")
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	return reply{"files": out}
}
