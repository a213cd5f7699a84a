package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
)

// The valid test pack: two modules in two tracks, every question type, and
// a Thai translation. Line numbers in the tests refer to these texts, so
// edit with care.

const curriculumYAML = `tracks:
  - slug: first-steps
    title: First steps
    modules: [spot-the-scam]
  - slug: stay-safe
    title: Stay safe
    modules: [lock-your-accounts]
`

const stsModule = `slug: spot-the-scam
title: Spot the scam
summary: Learn the tricks behind fake messages.
category: computer
cluster: prevention
readi: [discernment, responsibility]
level: beginner
minutes: 25
objectives:
  - Recognise the warning signs of a phishing message
content_warning: ""
sources:
  - {title: "Recognize and Report Phishing", publisher: "CISA", year: 2023, url: "https://www.cisa.gov/phishing"}
`

const stsLesson1 = `---
slug: what-is-phishing
title: What is phishing?
readi: [discernment]
minutes: 6
---
## A text at night

Someone pretends to be your bank. Read [the next lesson](lesson:check-the-sender).
`

const stsLesson2 = `---
slug: check-the-sender
title: Check the sender
readi: [discernment, responsibility]
minutes: 5
---
## Use a channel you trust

Call the number on the back of your card, not the one in the message.
`

const stsQuiz = `pass_percent: 70
questions:
  - id: sts-q01
    type: single
    readi: [discernment]
    prompt: Which link is safe to open?
    explanation: Only type the address of your bank yourself.
    options:
      - {id: a, text: The link in the SMS, feedback: Links in unexpected messages are bait.}
      - {id: b, text: The address you type yourself, correct: true, feedback: Right.}
  - id: sts-q02
    type: multiple
    readi: [discernment]
    prompt: Which are warning signs?
    explanation: Urgency and secrecy are pressure tricks.
    options:
      - {id: a, text: A deadline of two hours, correct: true, feedback: Urgency is a trick.}
      - {id: b, text: A request to keep it secret, correct: true, feedback: Secrecy isolates you.}
      - {id: c, text: A greeting with your name, feedback: Scammers often know your name.}
  - id: sts-q03
    type: true_false
    readi: [authenticity]
    prompt: A message with perfect spelling is always genuine.
    explanation: Scammers use good spelling too.
    answer: false
    feedback_true: Spelling proves nothing.
    feedback_false: Right, spelling proves nothing.
  - id: sts-q04
    type: ordering
    readi: [responsibility]
    prompt: Put the steps after a scam in order.
    explanation: Stop the money first, then keep evidence, then report.
    items:
      - {id: k, text: Call your bank}
      - {id: c, text: Keep screenshots}
      - {id: x, text: Report to the hotline}
  - id: sts-q05
    type: matching
    readi: [discernment]
    prompt: Match each scam to its bait.
    explanation: Each scam has a typical hook.
    pairs:
      - {left: {id: l1, text: Parcel scam}, right: {id: rb, text: A small customs fee}, feedback: Fees are bait.}
      - {left: {id: l2, text: Job scam}, right: {id: ra, text: Easy money for likes}}
  - id: sts-q06
    type: red_flags
    readi: [discernment]
    prompt: Mark the suspicious parts.
    explanation: Urgency and a fee are the tells.
    message:
      channel: sms
      sender: "+63 917 555 0142"
      segments:
        - {id: s1, text: "Your parcel is on hold.", flag: false}
        - {id: s2, text: "Pay PHP 35 within 2 hours", flag: true, why: "Urgency and a small fee are bait."}
  - id: sts-q07
    type: scenario
    readi: [responsibility, empathy]
    prompt: A friend was scammed. What do you do?
    explanation: Support first, then act fast.
    steps:
      - id: start
        text: Your friend says they paid a fake shop.
        choices:
          - {id: c1, text: Tell them to call the bank now, next: after, points: 1, feedback: Speed matters.}
          - {id: c2, text: Laugh at them, feedback: Shame stops people reporting.}
      - id: after
        text: The bank froze the payment. What next?
        choices:
          - {id: c3, text: Report it together, points: 1, feedback: Reporting helps everyone.}
`

const thModule = `title: จับโกหกมิจฉาชีพ
summary: เรียนรู้กลโกงเบื้องหลังข้อความปลอม
`

const thLesson1 = `---
slug: what-is-phishing
title: ฟิชชิงคืออะไร
---
## ข้อความตอนกลางคืน

อ่าน[บทต่อไป](lesson:check-the-sender)
`

const thQuiz = `questions:
  - id: sts-q01
    prompt: ลิงก์ไหนเปิดได้อย่างปลอดภัย
    options:
      - {id: a, text: ลิงก์ใน SMS}
  - id: sts-q07
    steps:
      - id: start
        choices:
          - {id: c1, feedback: ความเร็วสำคัญ}
`

const lyaModule = `slug: lock-your-accounts
title: Lock your accounts
summary: Passwords, passphrases and two-step login.
category: data
cluster: prevention
readi: [responsibility]
level: beginner
minutes: 10
objectives: [Make a passphrase]
sources:
  - {title: "Passphrases", publisher: "NCSC", year: 2021, url: "https://www.ncsc.gov.uk/passphrases"}
`

const lyaLesson1 = `---
slug: strong-passwords
title: Strong passwords
readi: [responsibility]
minutes: 4
---
Three random words make a **strong** passphrase.
`

const lyaQuiz = `pass_percent: 100
questions:
  - id: lya-q01
    type: single
    readi: [responsibility]
    prompt: Which is the strongest?
    explanation: Length beats complexity.
    options:
      - {id: a, text: P@ss1, feedback: Too short.}
      - {id: b, text: purple river candle, correct: true, feedback: Long and easy to remember.}
`

// validPack returns a fresh copy of the valid test pack.
func validPack() fstest.MapFS {
	files := map[string]string{
		"curriculum.yaml":                           curriculumYAML,
		"spot-the-scam/module.yaml":                 stsModule,
		"spot-the-scam/01-what-is-phishing.md":      stsLesson1,
		"spot-the-scam/02-check-the-sender.md":      stsLesson2,
		"spot-the-scam/quiz.yaml":                   stsQuiz,
		"spot-the-scam/th/module.yaml":              thModule,
		"spot-the-scam/th/01-what-is-phishing.md":   thLesson1,
		"spot-the-scam/th/quiz.yaml":                thQuiz,
		"lock-your-accounts/module.yaml":            lyaModule,
		"lock-your-accounts/01-strong-passwords.md": lyaLesson1,
		"lock-your-accounts/quiz.yaml":              lyaQuiz,
	}
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// edit changes one file of a pack: replace old by new once, or, with old
// empty, set the whole file (new empty deletes it).
type edit struct {
	file, old, new string
}

func applyEdits(t testing.TB, fsys fstest.MapFS, edits ...edit) {
	t.Helper()
	for _, e := range edits {
		switch {
		case e.old == "" && e.new == "":
			delete(fsys, e.file)
		case e.old == "":
			fsys[e.file] = &fstest.MapFile{Data: []byte(e.new)}
		default:
			f, ok := fsys[e.file]
			if !ok || !strings.Contains(string(f.Data), e.old) {
				t.Fatalf("fixture %s does not contain %q", e.file, e.old)
			}
			fsys[e.file] = &fstest.MapFile{Data: []byte(strings.Replace(string(f.Data), e.old, e.new, 1))}
		}
	}
}
