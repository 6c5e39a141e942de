import { describe, expect, it } from "vitest";
import type { Channel, Intent } from "../../../domain/assistant/assistant.js";
import { leadWrittenPart, normalise, readIntent } from "./readIntent.js";

type Example = readonly [Channel, string];

/**
 * Replies as leads write them, by the intent each should read as. Written for these tests: the
 * labelled evaluation set under eval/ is kept apart so that measuring on it stays honest.
 */
const EXAMPLES: Record<Intent, readonly Example[]> = {
  do_not_contact: [
    ["sms", "not interested, stop"],
    ["sms", "请不要再联系我"],
    ["sms", "per favore disiscrivetemi"],
    // Russian, Korean, Japanese, Arabic, Hindi (Latin letters and Devanagari), Vietnamese, Tagalog,
    // Portuguese, French and German.
    ["sms", "Пожалуйста, не пишите мне больше"],
    ["sms", "이제 문자 그만 보내주세요"],
    ["email", "今後は連絡しないでください。"],
    ["sms", "من فضلك لا ترسل لي رسائل"],
    ["sms", "bhai mujhe sms mat bhejo"],
    ["sms", "mera number apni list se hata dijiye"],
    ["sms", "कृपया मुझे मैसेज मत भेजो"],
    ["sms", "làm ơn đừng nhắn tin cho tôi nữa"],
    ["sms", "huwag mo na akong itext"],
    ["sms", "por favor não me mandem mais mensagens"],
    ["email", "Merci de ne me contactez plus."],
    ["email", "Bitte kontaktieren Sie mich nicht mehr."],
    // A no said before, said again; a clause that ends before the stop.
    ["sms", "we already said no."],
    ["sms", "i'm done with you people"],
    ["sms", "no money for that dont want it stop texting"],
    // A laugh alone does not make a stop banter.
    ["sms", "lol stop"],
    // Someone asked to act for the lead is still the lead's request; contact named by "-ing".
    ["sms", "can somebody there please take me off this list"],
    ["email", "You can stop reaching out now. We signed with another agency."],
    ["sms", "please end the follow ups, not buying"],
    ["sms", "idk how you got this number but stop"],
    ["sms", "cancel my number, I never gave it to you"],
    // Asking how to stop, lawyers and privacy, and the commonest forms in more languages.
    ["sms", "how do I get off this thing"],
    ["sms", "where's the unsubscribe link, can't find it"],
    ["email", "Going forward please direct everything through my attorney."],
    ["email", "Kindly respect my privacy."],
    ["sms", "no need to keep texting, thanks"],
    ["sms", "Discontinue"],
    ["sms", "udalite moi nomer pozhaluista"],
    ["sms", "bu yao zai gei wo fa duan xin"],
    ["sms", "Te voy a bloquear"],
    ["sms", "quit callin me every day"],
    ["email", "Please remove my wife and me from all of your mailing lists."],
    ["email", "Honestly I'd like these to stop now. Thanks."],
    ["sms", "go bug someone else"],
    ["sms", "u can stop now lol"],
    ["sms", "stop texting me lol"],
    ["sms", "I will report you to the FTC"],
    ["sms", "could you guys please not message me"],
    ["sms", "we want off of this list"],
    ["sms", "get my name and email off your system"],
    ["email", "Way too many emails from your office."],
    ["sms", "STOP!!!"],
    ["sms", "stop please"],
    ["sms", "I already unsubscribed from your texts, stop"],
    ["sms", "unsubscribed from the emails twice now"],
    ["sms", "Stop"],
    ["sms", "never contact me again"],
    ["sms", "lose my number"],
    ["sms", "Please remove me from your list"],
    ["sms", "leave me alone"],
    ["sms", "delete my info"],
    ["sms", "I never gave you permission to text me"],
    ["sms", "quit texting me"],
    ["sms", "Wrong number, stop"],
    ["sms", "not interested. stop texting me"],
    ["sms", "stpo"],
    ["sms", "STOPPPP"],
    ["sms", "unsubscibe"],
    ["sms", "Unsubscribe me pls"],
    ["sms", "🛑"],
    ["sms", "✋"],
    ["sms", "pls stop txting me"],
    ["sms", "u need to stop"],
    ["sms", "Why won't you stop texting me??"],
    ["sms", "you guys won't stop calling"],
    ["sms", "The texts need to stop."],
    ["sms", "how did you get my number"],
    ["sms", "who gave you my number? stop"],
    ["sms", "Take me off your list"],
    ["sms", "Remove"],
    ["sms", "cancel"],
    ["sms", "END"],
    ["sms", "quit"],
    ["sms", "opt out"],
    ["sms", "opt-out please"],
    ["sms", "I don't want any more texts"],
    ["sms", "Do not contact me"],
    ["sms", "don't text me"],
    ["sms", "no more texts please"],
    ["sms", "No more!"],
    ["sms", "fuck off"],
    ["sms", "I'm blocking this number"],
    ["sms", "This is harassment"],
    ["sms", "put a stop to these texts"],
    ["sms", "Stop. Wrong person"],
    ["sms", "s t o p"],
    ["sms", "I asked you to stop"],
    ["sms", "I already said stop"],
    ["sms", "make it stop"],
    ["sms", "can you stop?"],
    ["sms", "stop sending me these messages"],
    ["sms", "stop bugging me"],
    ["sms", "Stop it"],
    ["sms", "Stop all"],
    ["sms", "no me escriban más"],
    ["sms", "dejen de enviarme mensajes"],
    ["sms", "borra mi número"],
    ["sms", "no me contacten"],
    ["sms", "baja"],
    ["sms", "I don’t want to be contacted"],
    ["sms", "how many times do I have to tell you"],
    ["sms", "Remove my number"],
    ["sms", "Please remove this number from your list"],
    ["sms", "I didn't sign up for this"],
    ["sms", "why do you keep texting me"],
    ["sms", "stop contacting me"],
    ["email", "Please unsubscribe me from this list."],
    [
      "email",
      "Please stop emailing me.\n\nOn Mon, Mar 4, 2024 at 10:00 AM Leadwire <a@b.com> wrote:\n> Hi John, are you still looking?",
    ],
    ["email", "remove me from your mailing list"],
    ["sms", "enough"],
    ["sms", "Enough already with the texts"],
    ["sms", "please STOP sending me listings"],
    ["sms", "unsubscribe"],
    ["sms", "how do I unsubscribe"],
    ["sms", "STOP STOP STOP"],
    ["sms", "Stop messaging me"],
    ["sms", "stop txt"],
    ["sms", "STOP 2"],
    ["sms", "This is Mike's wife, stop texting him"],
    ["sms", "Please stop, I'm not interested"],
    ["sms", "Stop. Not interested."],
    ["sms", "STOP. Wrong number."],
    ["sms", "No thank you. Please remove me."],
    ["sms", "take me off ur list"],
    ["sms", "Stop calling me"],
    ["sms", "i said no. stop."],
    ["sms", "Dont contact me again"],
    ["sms", "please dont message me anymore"],
    ["sms", "Do not text this number"],
    ["sms", "go away"],
    ["sms", "leave me the hell alone"],
    ["sms", "STOP!!!!!!!!!"],
    ["sms", "stop!"],
    ["sms", "Stop."],
    ["sms", "stop 🛑"],
    ["sms", "✋🏽"],
    ["sms", "⛔️"],
    ["sms", "Stop pls"],
    ["sms", "Sotp"],
    ["sms", "unsubcribe"],
    ["sms", "UNSUBSCRIBE!!!"],
    ["sms", "Remove me"],
    ["sms", "remove me from this list please"],
    ["sms", "I'm not interested please don't contact me again"],
    ["sms", "I never signed up for this"],
    ["sms", "Who is this and how did you get my number?"],
    ["sms", "who is this? stop texting me"],
    ["sms", "Please stop texting my husband's phone"],
    ["sms", "Quit texting me"],
    ["sms", "Stop the texts"],
    ["sms", "stop these messages"],
    ["sms", "Stop with the texts already"],
    ["sms", "don't ever text me again"],
    ["sms", "never text me again"],
    ["sms", "I'm reporting this number"],
    ["sms", "this is spam"],
    ["sms", "Stop spamming me"],
    ["sms", "ya basta"],
    ["sms", "No me llamen ni me escriban"],
    ["sms", "ya no quiero recibir mensajes"],
    ["sms", "por favor dejen de escribirme"],
    ["sms", "Alto"],
    ["sms", "quiero darme de baja"],
    ["sms", "eliminen mi número de su lista"],
    ["sms", "stop contacting me. wrong number"],
    ["sms", "Wrong number. Please remove it from your list"],
    ["sms", "STOP TEXTING ME"],
    ["sms", "I told you to stop"],
    ["sms", "Stop please, I already found a house"],
    ["sms", "can you guys stop"],
    ["sms", "I would like to opt out"],
    ["sms", "I want to be removed from your list"],
    ["sms", "please take my number off your list"],
    ["sms", "no more"],
    ["sms", "nomore texts"],
    ["sms", "I don't want these texts"],
    ["sms", "Stop contacting me. Delete my number."],
    ["sms", "Dont call or text me"],
    ["sms", "cease and desist"],
    ["sms", "I'm on the do not call list"],
    ["sms", "stop texting me and dont email me either"],
    ["email", "Unsubscribe"],
    ["email", "Please remove me from your list\n\n--\nJohn Smith\nAcme Corp"],
    ["email", "STOP\n\nSent from my iPhone"],
    [
      "email",
      "Take me off your mailing list.\n\n-----Original Message-----\nFrom: Leadwire\nSent: Monday\nSubject: Hi",
    ],
    ["email", "stop emailing me"],
    ["email", "Please stop emailing me. I never asked for this."],
    ["sms", "Please take me off your contact list."],
    ["sms", "Remove me from all lists"],
    ["sms", "I'm not interested, please do not text me again."],
    ["sms", "This is the 3rd text. Stop."],
    ["sms", "I did not request any information. Please remove my number."],
    ["sms", "STOP CONTACTING ME"],
    ["sms", "Do not message me again"],
    ["sms", "Stop texting this number"],
    ["sms", "Unsubscribe please"],
    ["sms", "Stop sending me texts"],
    ["sms", "Don't contact me ever again."],
    ["sms", "Quit calling and texting me"],
    ["sms", "can you stop texting me"],
    ["sms", "Please stop messaging me. I'm not looking to sell."],
    ["sms", "I'm not selling. Stop."],
    ["sms", "no. stop."],
    ["sms", "Stop!! Not interested!!"],
    ["sms", "Who is this? Please stop"],
    ["sms", "I have asked you multiple times to stop contacting me"],
    ["sms", "Enough with the messages"],
    ["sms", "I will report you to the FCC"],
    ["sms", "Stop or I'll report you"],
    ["sms", "lose this number"],
    ["sms", "delete my number from your system"],
    ["sms", "Never reach out to me again"],
    ["sms", "I don't want your texts"],
    ["sms", "no more messages"],
    ["sms", "opt me out"],
    ["sms", "Please opt me out of these messages"],
    ["sms", "Stop texting me, wrong number"],
    ["sms", "This isn't John. Stop texting me."],
    ["sms", "You people need to stop"],
    ["sms", "STOP ALL COMMUNICATION"],
    ["sms", "I said STOP"],
    ["sms", "stop it already"],
    ["sms", "I'm on the national do not call registry"],
    ["sms", "take my info off your list"],
    ["sms", "Please erase my information"],
    ["sms", "Stop bothering me"],
    ["sms", "leave me alone please"],
    ["sms", "Please stop, my husband passed away"],
    ["sms", "please cease all contact"],
    ["sms", "I don't want to hear from you again"],
    ["sms", "do not text me anymore"],
    ["email", "please don't email me again"],
    ["email", "Stop sending emails"],
    ["email", "unsubscribe me"],
    ["email", "Please remove my email address from your database"],
    ["sms", "I didn't opt in to this"],
    ["sms", "I never opted in"],
    ["sms", "Why do I keep getting these texts?"],
    ["sms", "How do I make these texts stop"],
    ["sms", "stop texting me or I'll block you"],
    ["sms", "🛑🛑🛑"],
    ["sms", "✋ no more"],
    ["sms", "s.t.o.p"],
    ["sms", "Stopit"],
    ["sms", "Please stop contacting me. I have already found a realtor."],
    ["sms", "Remove me. Thanks"],
    ["sms", "Please delete my contact info"],
    ["email", "I am not interested in your services. Please remove me from your mailing list."],
    ["sms", "Do not call or text this number again"],
    ["sms", "wrong number please stop texting"],
    ["sms", "Wrong person. Remove this number."],
    ["sms", "You have the wrong number. Please remove it from your system."],
    ["sms", "No me vuelvan a escribir"],
    ["sms", "Por favor no me manden más mensajes"],
    ["sms", "Bórrenme de su lista"],
    ["sms", "No estoy interesado, no me escriban"],
    ["sms", "STOP por favor"],
    ["sms", "Ya no me manden mensajes"],
    ["sms", "Quítenme de su lista"],
    ["sms", "No quiero que me contacten"],
    ["sms", "I never requested a quote"],
    ["sms", "Please do not contact me at this number"],
    ["sms", "Can you not text me"],
    ["sms", "pls no more"],
    ["sms", "I'm good, please stop"],
    ["sms", "NO!!! STOP!!!"],
    ["sms", "Stop txt msgs"],
    ["sms", "stop msging me"],
    ["sms", "Unsubscribe."],
    ["sms", "REMOVE"],
    ["sms", "Stop 🙏"],
    ["sms", "Please don't text me anymore, I'll reach out if I need anything"],
    ["sms", "Please stop texting. I'll call you if I'm interested."],
    ["sms", "I'll text you when I'm ready, stop texting me"],
    ["sms", "Is this a bot? Stop"],
    ["sms", "Cancel all messages"],
    ["sms", "End texts"],
    ["sms", "How do I opt out?"],
    ["sms", "How do I get off this list?"],
    ["sms", "Remove my info from your database"],
    ["sms", "I'd like to be removed"],
    ["email", "Please unsubscribe me from all communications"],
    ["sms", "Please don't reach out again"],
    [
      "email",
      "Hi Jane,\n\nThanks for reaching out. We've decided to go with another builder, so please remove us from your list.\n\nBest,\nTom",
    ],
    ["sms", "Can't you just stop?"],
    ["sms", "Won't you stop texting me"],
    // Polite and conditional requests.
    ["sms", "I'd appreciate it if you would stop contacting me"],
    ["email", "Kindly refrain from contacting me in the future."],
    ["sms", "It would be great if you didn't text me again"],
    // A dislike or a preference against our contact, with no other channel offered.
    ["sms", "honestly not a fan of all these texts"],
    ["sms", "I would rather not receive any more messages"],
    // A negation that asks rather than refuses.
    ["sms", "why don't you just remove me from your list"],
  ],
  opt_out_channel: [
    ["sms", "quit the texts pls, email is fine"],
    ["sms", "way too many texts, just send me an email"],
    ["sms", "can you only reach me by email from now on"],
    ["sms", "Could we switch over to email? I never see texts"],
    ["sms", "Quit leaving me voicemails, a text works"],
    ["sms", "stop with all the calls, shoot me a text"],
    ["sms", "stop texting me, email is fine"],
    ["sms", "Stop texting me email is fine"],
    ["sms", "no more emails, text me instead"],
    ["email", "no more emails, text me instead"],
    ["sms", "don't text, call me"],
    ["email", "text me instead of emailing"],
    ["sms", "please email me instead"],
    ["sms", "Lose my number, email me if anything comes up"],
    ["sms", "Stop. You can email me at john@example.com"],
    ["email", "Please take me off your email list but feel free to text"],
    ["sms", "I prefer email"],
    ["sms", "Please don't text me, email only"],
    ["sms", "stop texting. email me instead"],
    ["sms", "no texts please, you can email me"],
    ["sms", "Stop the texts but you can still email me"],
    ["email", "please stop emailing, text me at 555-123-4567"],
    ["email", "No more emails please. Texting is fine."],
    ["email", "I'd rather you text me than email"],
    ["email", "Unsubscribe from emails but you can text me"],
    ["sms", "dont text me call me"],
    ["sms", "quit texting, call me instead"],
    ["sms", "Lose my number. Email is better"],
    ["sms", "no mas mensajes, mejor por correo"],
    ["sms", "Please stop texting. Email works better for me."],
    ["sms", "Can you email me instead of texting?"],
    ["sms", "I prefer email, please don't text"],
    ["email", "Text only please, no emails"],
    ["email", "Stop emailing me. Text me at 555-1234"],
    ["sms", "No calls or texts please, email only"],
    ["sms", "Don't text. Email me."],
    ["sms", "Stop texting, I'd rather get an email"],
    ["sms", "Emails are fine but please stop the texts"],
    ["sms", "unsubscribe from text messages, email is ok"],
    ["sms", "Please contact me by email only"],
    ["sms", "I'd rather you email me"],
    ["sms", "can we move this to email? I don't like texting"],
    // A preference against one channel, or a dislike of it, with another allowed.
    ["sms", "I'd rather not receive any more texts. Emails are fine"],
    ["email", "Would prefer not to be emailed, you can text me"],
    ["sms", "honestly not a fan of the texts, send stuff to my email"],
    ["email", "I don't do email. Text me at this number"],
    // Allowances in other words: "fine with", "keep texting", "still want … by text", "I'll check".
    ["sms", "I'm fine with emails but please no more texts"],
    ["email", "No more emails please, keep texting me though"],
    ["email", "Stop the promotional emails, I still want the showing updates by text"],
    ["sms", "stop texting me please, I'll check my inbox"],
    ["sms", "no texts please. could you email me the details instead?"],
    // Another address or app on the same channel.
    ["sms", "don't text this phone, use my other number"],
    ["email", "Please stop emailing this account, use my personal one instead"],
    ["sms", "stop texting, message me on whatsapp"],
    // A list of one channel.
    ["sms", "please remove me from the text reminders"],
    ["sms", "unsubscribe from the email updates"],
    ["email", "take me off the sms list"],
    // "X only" on X's own channel stops the other one.
    ["email", "Text only please"],
    // "stop texting and just email me": the allowed channel is not part of the stop.
    ["sms", "stop texting and just email me"],
    ["sms", "Quit texting and just ring me"],
  ],
  wrong_number: [
    ["sms", "I think you meant to text somebody else"],
    ["sms", "No Brandon at this number"],
    ["sms", "this is a work cell for a bakery"],
    ["sms", "wrong number"],
    ["sms", "u have the wrong #"],
    ["sms", "This isn't Mike"],
    ["sms", "número equivocado"],
    ["sms", "no one by that name here"],
    ["sms", "I think you have the wrong person"],
    ["sms", "Sorry wrong number"],
    ["sms", "You've got the wrong person"],
    ["sms", "There's no Sarah here"],
    ["sms", "I'm not Jennifer"],
    ["sms", "I just got this number"],
    ["sms", "wrong #"],
    ["sms", "I think you have the wrong number, this isn't Dave"],
    ["sms", "This is not Maria's phone anymore"],
    ["sms", "Who? You must have the wrong number"],
    ["sms", "I'm not the person you're looking for"],
    ["sms", "No Jennifer here, sorry"],
    ["sms", "He doesn't live here anymore"],
    ["sms", "I think you meant to send this to someone else"],
    ["sms", "This number no longer belongs to Sam"],
    // Not who we want, in other words.
    ["sms", "No idea who you're looking for, sorry"],
    ["sms", "You must be thinking of someone else"],
    ["sms", "Not me lol"],
    // The number or address changed hands, or was typed wrong.
    ["sms", "This phone used to belong to somebody else, I've had it a month"],
    ["sms", "Someone must have entered their email wrong"],
    // "I never signed up" from someone who is not the lead.
    ["email", "I never signed up for anything, you must want someone else"],
  ],
  not_interested: [
    ["sms", "Already unsubbed from our old CRM and moved to a spreadsheet, not looking for another one"],
    ["sms", "we signed with another agency"],
    ["sms", "got the fence done by somebody else"],
    ["sms", "Probably not."],
    ["sms", "my wife says no"],
    ["email", "We put the basement project on hold for now."],
    ["sms", "lol no"],
    ["sms", "you dont have to stop, but we went with a local company"],
    ["sms", "no thanks"],
    ["sms", "went with someone else"],
    ["sms", "not now, maybe in spring"],
    ["sms", "No"],
    ["sms", "nope"],
    ["sms", "not interested"],
    ["sms", "no gracias"],
    ["sms", "I'm good, thanks"],
    ["sms", "We already bought a house"],
    ["sms", "I want to cancel. I found someone else"],
    ["sms", "Not interested, thanks"],
    ["sms", "no thank you"],
    ["sms", "Nah I'm good"],
    ["sms", "We decided to stay where we are"],
    ["sms", "Not right now. Maybe next year"],
    ["sms", "already found a place, thanks"],
    ["sms", "We went with another agent"],
    ["sms", "Too expensive for us"],
    ["sms", "I'm all set, thanks"],
    ["sms", "not looking anymore"],
    ["sms", "no longer interested"],
    ["sms", "Changed my mind"],
    ["sms", "Not at this time"],
    ["sms", "I'll pass"],
    ["sms", "No, I'm not interested"],
    ["sms", "not intrested"],
    ["sms", "Not interested at this time"],
    ["sms", "No thanks, I'm happy with my current provider"],
    ["sms", "We're going to wait"],
    ["sms", "I'll pass for now"],
    ["sms", "Not anymore"],
    ["sms", "We sold already"],
    ["sms", "I decided not to sell"],
    ["sms", "Thanks but no thanks"],
    ["sms", "I'm good for now"],
    ["sms", "I don't need it"],
    ["sms", "Maybe next year"],
    ["sms", "we're staying put"],
    ["sms", "Yes, but not until next year"],
    // Content with what they have.
    ["sms", "We're content with our existing provider"],
    ["sms", "No changes needed on our end"],
    // Went another way, or it is handled.
    ["sms", "Found a cheaper rental closer to the school"],
    ["sms", "We ended up buying a new build across town"],
    ["sms", "already have someone for that"],
    ["sms", "The repair was already taken care of"],
    ["sms", "That renovation isn't in our budget right now"],
    // Short declines: "Pass.", a hesitant no, "I'm good" after thanks.
    ["sms", "Honestly? Pass."],
    ["sms", "hmm, nah. thanks though"],
    ["sms", "Thank you, I'm good"],
  ],
  booking: [
    ["sms", "remove me from the 3pm and put me in at 5 tomorrow"],
    ["sms", "take us off thursday and put us on friday morning"],
    ["email", "Please remove me from the 9:15 slot and move me to 2pm if it is free."],
    ["sms", "whats the next available appointment?"],
    ["sms", "anything open friday for an estimate?"],
    ["sms", "can you stop by tomorrow?"],
    ["sms", "end of the month works"],
    ["sms", "I'll stop in next week"],
    ["sms", "stop by anytime"],
    ["sms", "I need to stop at the bank first, then we can meet"],
    ["sms", "Meet me at Stop & Shop"],
    ["sms", "call me after 5"],
    ["sms", "can we do Thursday at 2"],
    ["sms", "Thursday at 2?"],
    ["sms", "Let's set up a showing"],
    ["sms", "llámame"],
    ["sms", "Can you stop over Saturday morning?"],
    ["sms", "I'll be stopping by around noon"],
    ["sms", "End of next week works"],
    ["sms", "maybe at the end of the week?"],
    ["sms", "Ok stop by whenever"],
    ["sms", "Don't call me before 5, after works"],
    ["sms", "Text me instead? Just kidding, call me"],
    ["sms", "Yes call me tomorrow morning"],
    ["sms", "Sure, Thursday at 3pm works"],
    ["sms", "Can we meet this weekend?"],
    ["sms", "What time works for you?"],
    ["sms", "I'm free after 6 tonight"],
    ["sms", "Can someone call me?"],
    ["sms", "give me a call at 555-123-4567"],
    ["sms", "When can you come out to look at it?"],
    ["sms", "I'd like to schedule a tour"],
    ["sms", "Can I see the house Saturday?"],
    ["sms", "tomorrow at 10am?"],
    ["sms", "how about monday"],
    ["sms", "lets talk tomorrow"],
    ["sms", "Will you stop by the house Friday?"],
    ["sms", "Our heater stopped working last night, can someone come out?"],
    ["sms", "Cancel my appointment for Tuesday please"],
    ["sms", "I need to cancel Thursday, can we do Friday instead?"],
    ["sms", "Sorry I stopped texting back, still want to see the house"],
    ["sms", "we'll stop over after work"],
    ["sms", "I can stop in Monday at 3"],
    ["sms", "stop by at 4?"],
    ["sms", "We'll stop in after lunch"],
    ["sms", "I need to cancel our showing, can we reschedule?"],
    ["sms", "End of the month is fine"],
    ["sms", "Weekend works"],
    ["sms", "Please stop by the office to sign"],
    ["sms", "Can you call me at 3?"],
    ["sms", "What's a good time to talk?"],
    ["sms", "I'm available Tuesday afternoon"],
    ["sms", "Let's do Friday"],
    ["sms", "Schedule me for Monday"],
    ["sms", "I'd like to book an appointment"],
    ["sms", "Can I come see it this weekend?"],
    ["sms", "Any time after 4 works"],
    ["sms", "I can do a call Wednesday"],
    ["sms", "cancel that, Thursday works better"],
    ["sms", "I'm at the bus stop, can I call you in 10?"],
    ["sms", "They told me to stop by"],
    // Someone to come out, and dates as ordinals.
    ["sms", "Can your guy come out Thursday?"],
    ["sms", "please send a tech over tomorrow"],
    ["sms", "Could we push it to the 14th?"],
    ["sms", "¿Podrían pasar el lunes?"],
    ["sms", "I'd rather not text while driving, can I call you later?"],
  ],
  question: [
    // Someone else's click; the opposite of a stop; a form finished, not a conversation.
    ["email", "Hi, my husband mistakenly clicked unsubscribe on your newsletter, can you put him back?"],
    ["email", "Is there a way to opt in to the text reminders too?"],
    // Unsubscribing told of, by someone who wants to keep hearing from us, or done by someone else.
    ["sms", "whoops, think I tapped unsubscribe by mistake. can you put me back on the list?"],
    ["email", "Does your platform let my customers unsubscribe with one click?"],
    ["sms", "my roommate unsubscribed from your texts, does that mean I'm off too? i'm not"],
    ["sms", "I'm unsubscribing from the other realtor's emails, yours are better. any 2 beds?"],
    ["sms", "does the free trial auto unsubscribe after 30 days?"],
    ["sms", "haha I haven't unsubscribed yet, what's new this week?"],
    ["email", "My assistant unsubscribed me from your updates by accident. Could you put me back on?"],
    ["sms", "how do I unsubscribe a coworker from the weekly report? she left"],
    ["sms", "Done with this part of the form, what's next?"],
    ["sms", "stop, is that the pool house? I'm interested"],
    ["sms", "can you stop it from dripping until the plumber comes?"],
    ["sms", "how do i unsubscribe a coworker from the weekly report? not me"],
    ["sms", "do you report late payments to the credit bureaus?"],
    ["email", "I'll need the inspection report to send to my lender, when will it be ready?"],
    ["sms", "my receptionist unsubscribed by accident, how does she get back on the reminders?"],
    ["sms", "remove the old water heater too?"],
    ["sms", "Can you stop the leak?"],
    ["sms", "What's the end date of the lease?"],
    ["sms", "how much"],
    ["sms", "who is this"],
    ["sms", "Who is this?"],
    ["sms", "is it still available?"],
    ["sms", "do you do roof repairs"],
    ["sms", "¿cuánto cuesta?"],
    ["sms", "my AC stopped working, how much to fix?"],
    ["sms", "Does the bus stop near the property?"],
    ["sms", "Is there a stop sign at the corner?"],
    ["sms", "Why did the payments stop?"],
    ["sms", "Can I cancel anytime?"],
    ["sms", "What's the cancellation policy?"],
    ["sms", "Can you remove the old carpet as well?"],
    ["sms", "how do I stop the water from leaking?"],
    ["sms", "Is 3 bedrooms enough?"],
    ["sms", "Yes, what's the price?"],
    ["sms", "What's the HOA fee?"],
    ["sms", "how many bedrooms?"],
    ["sms", "Is the price negotiable"],
    ["sms", "Do you offer financing?"],
    ["sms", "where is it located?"],
    ["sms", "what area do you cover?"],
    ["sms", "Are pets allowed?"],
    ["sms", "price?"],
    ["sms", "Who's this"],
    ["sms", "who dis"],
    ["sms", "Is this a real person?"],
    ["sms", "what company is this"],
    ["sms", "Is this spam?"],
    [
      "email",
      "What's the price?\n\nFrom: Jane Agent\nSent: Tuesday, April 2, 2024 9:12 AM\nTo: John\nSubject: Your inquiry\n\nText STOP to unsubscribe",
    ],
    ["sms", "Could we stop at the other listing too?"],
    ["sms", "Can you remove the carpet before closing?"],
    ["sms", "Is there a cancellation fee?"],
    ["sms", "Can we end the lease early?"],
    ["sms", "How many stops on the train to the city?"],
    ["sms", "Can you remove my name from the title?"],
    ["sms", "Can you stop payment on the deposit?"],
    ["sms", "When does the promo end?"],
    ["sms", "How do I stop the pipes from freezing?"],
    ["sms", "Do you guys ever stop working? lol"],
    ["sms", "What stop is closest to the apartment?"],
    ["sms", "Is there a bus stop nearby?"],
    ["sms", "remove the popcorn ceiling?"],
    ["sms", "Stop sign on the corner?"],
    ["sms", "Are you going to end up lowering the price?"],
    ["sms", "What's the square footage?"],
    ["sms", "How much is the deposit"],
    ["sms", "Are utilities included"],
    ["sms", "Do you service my area?"],
    ["sms", "any HOA?"],
    ["sms", "Wait, who are you?"],
    ["sms", "Hello?"],
    ["email", "Hi, yes we're still interested. Can you send me the floor plans? Thanks, Tom"],
    // Unsubscribing from a product is a customer's question, not a stop.
    ["sms", "How do I unsubscribe from the premium plan if it doesn't work out?"],
    ["sms", "Can I opt out of the extended warranty?"],
    // A time or a meeting named in a question about something else.
    ["sms", "Is the 9am class good for seniors?"],
    ["sms", "How much is a consultation?"],
    ["sms", "Does the coverage end after 3 years?"],
    // Someone else's messaging.
    ["sms", "I don't like the messaging on the website, who wrote it?"],
  ],
  interested: [
    ["email", "I was about to unsubscribe from everything, but this one is worth it. Interested."],
    ["sms", "omg stop, that price is so good. yes please send it"],
    ["sms", "unsubscribed from my old agent's emails lol, yours are way better. interested"],
    ["email", "We unsubscribed from Monday.com last week, too clunky. Yours looks better, interested."],
    ["sms", "that would be awesome"],
    ["sms", "You do not have to stop following up, I am still interested"],
    ["sms", "don't stop"],
    ["sms", "I want to cancel my current policy and switch"],
    ["sms", "please don't stop texting me"],
    ["sms", "yes"],
    ["sms", "sure"],
    ["sms", "sounds good"],
    ["sms", "still interested"],
    ["sms", "tell me more"],
    ["sms", "sí, me interesa"],
    ["sms", "I'm not NOT interested"],
    ["sms", "Nope, still looking!"],
    ["sms", "Don't stop sending me listings!"],
    ["sms", "Yes I'm still interested"],
    ["sms", "Yeah still looking"],
    ["sms", "yep"],
    ["sms", "Absolutely!"],
    ["sms", "Sure thing, send me the details"],
    [
      "email",
      "Yes, I'm interested. Please send more information.\n\nOn Tue, Apr 2, 2024 at 9:12 AM Jane <jane@leadwire.io> wrote:\n> Reply STOP to opt out. Are you still interested?",
    ],
    ["email", "Sounds good!\n\n> On Tue, Apr 2 ... wrote:\n> unsubscribe here"],
    [
      "email",
      "Still interested!\n\nOn Tue, Apr 2, 2024 at 9:12 AM Jane Agent <jane@leadwire.io>\nwrote:\n> stop",
    ],
    ["sms", "I'm not uninterested"],
    ["sms", "ya"],
    ["sms", "Definitely interested"],
    ["sms", "I'd love more info"],
    ["sms", "send me listings"],
    ["sms", "Don't stop now, I'm really interested"],
    ["sms", "Please don't stop reaching out, I'm just busy"],
    ["sms", "Sorry I stopped responding, been busy. Still interested!"],
    ["sms", "The texts are fine, don't stop"],
    ["sms", "don't stop texting me, I'm interested"],
    ["sms", "Keep them coming, don't stop!"],
    ["sms", "we stopped looking for a while but we're back"],
    ["sms", "Don't stop, I'm interested!"],
    ["sms", "I want to cancel my listing with my current agent"],
    ["sms", "don't unsubscribe me, I still want updates"],
    ["sms", "Haha no don't stop"],
    ["sms", "Yes please!"],
    ["sms", "I'm interested"],
    ["sms", "Absolutely, tell me more"],
    ["sms", "that sounds great"],
    ["sms", "Yes!!"],
    ["sms", "Claro que sí"],
    ["sms", "Nonstop calls from other agents lol, but I'm still interested"],
    // Going ahead, even with a practical question; "we're" is no question.
    ["sms", "We're ready to install, send the contract over"],
    ["sms", "shut up, $99 a month?? count me in"],
    ["sms", "Let's move forward. Can you email the paperwork?"],
    ["sms", "We're hoping to buy by fall"],
    ["sms", "Please don't take me off your list, I'm still looking"],
  ],
  other: [
    ["sms", "lmao stop you're hilarious 😂"],
    // Astonishment about the offer, not hostility.
    ["sms", "STOP. that kitchen is my dream kitchen"],
    ["sms", "This number cannot receive text messages. Please call the office."],
    ["sms", "talk soon"],
    ["sms", "my AC stopped working"],
    ["sms", "the bus stop near the house is nice"],
    ["sms", "the leak won't stop"],
    ["sms", "I can't stop thinking about that house"],
    ["sms", "We had to stop construction for a bit"],
    ["sms", "Stop worrying, I'll handle it"],
    ["sms", "It stopped raining finally"],
    ["sms", "It's a one-stop shop"],
    ["sms", "thanks, that's enough for now"],
    ["sms", "non-stop rain here"],
    ["sms", "thanks"],
    ["sms", "ok"],
    ["sms", "👍"],
    ["sms", "I'll talk to my wife"],
    ["email", "Automatic reply: I am out of the office until Monday with limited access to email."],
    ["sms", "not sure yet"],
    ["sms", "Good morning!"],
    ["sms", "Don't stop believing lol"],
    ["sms", "My water heater stopped working"],
    ["sms", "The noise finally stopped"],
    ["sms", "I'm at the last stop"],
    ["sms", "I can't stop by today, sorry"],
    ["sms", "I had to cancel my trip"],
    ["sms", "We cancelled the inspection"],
    ["sms", "They removed the tree already"],
    ["sms", "the end is near lol"],
    ["sms", "My husband quit his job so we're waiting"],
    ["sms", "I quit smoking"],
    ["sms", "the pain won't stop"],
    ["sms", "it won't stop leaking"],
    ["sms", "Stop playing lol"],
    ["sms", "I have enough bedrooms"],
    ["sms", "Not gonna stop me from buying lol"],
    ["sms", "Thanks!"],
    ["sms", "ok thx"],
    ["sms", "Got it"],
    ["sms", "😊"],
    ["sms", "Let me think about it"],
    ["sms", "I'll get back to you"],
    ["sms", "Busy right now"],
    ["sms", "Let me talk to my husband and get back to you"],
    ["sms", "hello"],
    ["sms", "Hi"],
    [
      "email",
      "I am currently out of the office and will return on March 5. I will respond to your email when I return.",
    ],
    ["email", "Out of Office: I'm on vacation until next Monday."],
    [
      "sms",
      "I'm driving with Do Not Disturb While Driving turned on. I'll see your message when I get where I'm going.",
    ],
    ["sms", "Maybe"],
    ["sms", "not sure"],
    ["sms", "k"],
    ["sms", "lol"],
    ["sms", "The bus stop is right outside, nice"],
    ["sms", "The dripping won't stop, please send a plumber"],
    ["sms", "My dog won't stop barking at the door lol"],
    ["sms", "End of June is our move date"],
    ["sms", "I quit my job last month so financing might be tricky"],
    ["sms", "The rain finally stopped"],
    ["sms", "I'm not going to stop looking until I find the right place"],
    ["sms", "Don't remove the shed please"],
    ["sms", "that's the end of my questions, thanks"],
    ["sms", "Never stop hustling!"],
    ["sms", "I never said stop"],
    ["sms", "Full stop, I'm buying this year"],
    ["sms", "Remove my old listing and relist it"],
    ["sms", "Remove the listing from Zillow"],
    ["sms", "My car stopped on the highway, running late"],
    ["sms", "The seller won't stop calling my agent"],
    ["sms", "Never stop learning"],
    ["sms", "Cancel my 3pm, something came up"],
    ["sms", "At the end of the day it's about price"],
    ["sms", "Don't quit on me now lol"],
    ["sms", "Unstoppable deal!"],
    ["sms", "No stopping us now"],
    ["sms", "Stopped by yesterday, nobody was there"],
    ["sms", "stop playing, that's too cheap"],
    ["sms", "I'll stop looking if this works out"],
    ["sms", "the elevator stops at every floor"],
    ["sms", "Just don't cancel on me"],
    ["sms", "I'm not trying to unsubscribe, just busy"],
    ["sms", "Thank you"],
    ["sms", "❤️"],
    ["sms", "Happy holidays!"],
    ["sms", "Will do"],
    ["sms", "Let me check with my husband"],
    ["sms", "I'm at work, will text later"],
    ["sms", "we can't stop talking about the house!"],
    ["sms", "I can't stop by today"],
    // The lead's own message went astray.
    ["sms", "oops, that message was meant for my sister"],
    ["sms", "sorry wrong thread"],
    ["sms", "My bad, I texted that to the wrong person"],
    // An exclamation, someone else's calls, a preference about when.
    ["sms", "What a week it's been"],
    ["sms", "We don't like the calls from the HOA lol"],
    ["email", "I don't check email on weekends"],
    ["sms", "Thanks for the tour yesterday, loved it"],
    ["sms", "It's not me who makes the decision, it's my wife"],
  ],
};

const STOP_INTENTS: readonly Intent[] = ["do_not_contact", "opt_out_channel"];
const STOP_LIKE = /stop|cancel|remov|\bend\b|quit|unsub|enough|opt/i;

describe("readIntent", () => {
  for (const [intent, examples] of Object.entries(EXAMPLES)) {
    it.each(examples)(`reads %s %j as ${intent}`, (channel, text) => {
      expect(readIntent(text, channel).intent).toBe(intent);
    });
  }

  it("has enough examples to mean something", () => {
    const total = Object.values(EXAMPLES).reduce((sum, examples) => sum + examples.length, 0);
    expect(total).toBeGreaterThanOrEqual(300);
  });

  it("reads a stop-like word in another sense as no stop at all", () => {
    const otherSenses = Object.entries(EXAMPLES)
      .filter(([intent]) => !STOP_INTENTS.includes(intent as Intent))
      .flatMap(([, examples]) => examples.filter(([, text]) => STOP_LIKE.test(text)));
    expect(otherSenses.length).toBeGreaterThanOrEqual(40);
    const readAsStop = otherSenses.filter(([channel, text]) =>
      STOP_INTENTS.includes(readIntent(text, channel).intent),
    );
    expect(readAsStop).toEqual([]);
  });

  it("names the deciding phrase in one sentence", () => {
    expect(readIntent("never contact me again", "sms").reason).toBe(
      'asked to stop all contact ("never contact me again").',
    );
    expect(readIntent("lose my number", "sms").reason).toBe(
      'asked to stop texts and allowed no other channel, so all contact stops ("lose my number").',
    );
    expect(readIntent("who is this", "sms").reason).toBe('asked a question ("who is this").');
    expect(readIntent("No thanks", "sms").reason).toBe('declined ("no thanks").');
    expect(readIntent("my AC stopped working", "sms").reason).toBe(
      '"stopped working" is something that stopped, not a stop request; no other intent phrase was found.',
    );
  });

  it("says which channel an opt-out stops, even when it is not the one written on", () => {
    expect(readIntent("stop texting me, email is fine", "sms")).toEqual({
      intent: "opt_out_channel",
      reason: 'asked to stop texts only and allowed emails ("stop texting me", "email is fine").',
      optOutChannel: "sms",
    });
    expect(readIntent("no more emails, text me instead", "sms").optOutChannel).toBe("email");
    expect(readIntent("text me instead of emailing", "email").optOutChannel).toBe("email");
    expect(readIntent("don't text, call me", "sms").optOutChannel).toBe("sms");
    expect(readIntent("please email me instead", "sms").optOutChannel).toBe("sms");
  });

  it("stops the channel named, by list, address, app or 'only', not always the one written on", () => {
    expect(readIntent("take me off the sms list", "email").optOutChannel).toBe("sms");
    expect(readIntent("unsubscribe from the email updates", "sms").optOutChannel).toBe("email");
    expect(readIntent("Text only please", "email").optOutChannel).toBe("email");
    expect(readIntent("Email only, thanks", "email").optOutChannel).toBe("sms");
    expect(readIntent("Please stop emailing this account, use my personal one instead", "email")).toEqual({
      intent: "opt_out_channel",
      reason:
        'asked to stop emails only and allowed another address or app ("stop emailing this account", "use my personal one").',
      optOutChannel: "email",
    });
    expect(readIntent("I'd rather not receive any more texts. Emails are fine", "sms").optOutChannel).toBe(
      "sms",
    );
  });

  it("stops everything when a stop names one channel and allows no other", () => {
    expect(readIntent("quit texting me", "sms").intent).toBe("do_not_contact");
    expect(readIntent("stop emailing me", "email").intent).toBe("do_not_contact");
    expect(readIntent("stop texting me and dont email me either", "sms").intent).toBe("do_not_contact");
  });

  it("reads a refusal of calls with texts welcome as an opt-out of calls only", () => {
    const reading = readIntent("Dont call me, text only", "sms");
    expect(reading).toMatchObject({ intent: "opt_out_channel", optOutChannel: "call" });
    expect(reading.reason).toContain("asked for no calls and allowed texts");
    expect(readIntent("please don't call, texting is better", "sms")).toMatchObject({
      intent: "opt_out_channel",
      optOutChannel: "call",
    });
    expect(readIntent("Quit phoning me, texting works", "sms")).toMatchObject({
      intent: "opt_out_channel",
      optOutChannel: "call",
    });
  });

  it("reads a long message quickly", () => {
    const long = (unit: string) => unit.repeat(Math.ceil(10_000 / unit.length)).slice(0, 10_000);
    for (const text of [
      "a".repeat(10_000),
      long("stop "),
      long("please don't stop texting me, I still want a text when the email list only prefer "),
      long("use my other "),
      long("I would rather not "),
      long("x@"),
    ]) {
      for (const channel of ["sms", "email"] as const) {
        const started = performance.now();
        readIntent(text, channel);
        expect(performance.now() - started).toBeLessThan(250);
      }
    }
  });

  it("lets a stop win over whatever else the message says", () => {
    for (const text of [
      "Wrong number, stop",
      "not interested. stop texting me",
      "Yes please remove me",
      "who is this? stop",
    ]) {
      expect(readIntent(text, "sms").intent).toBe("do_not_contact");
    }
  });

  it("reads only what the lead wrote in an email", () => {
    const reply =
      "Sounds good, thanks!\n\nOn Tue, Apr 2, 2024 at 9:12 AM Jane <jane@example.com> wrote:\n> Reply STOP to opt out.";
    expect(readIntent(reply, "email").intent).toBe("interested");
    // The same words on SMS are read whole: nothing there is quoted.
    expect(readIntent("Sounds good\n> stop", "email").intent).toBe("interested");
  });

  it("reads a message of only quoted text or only emoji as other", () => {
    expect(readIntent("> stop\n> unsubscribe", "email").intent).toBe("other");
    expect(readIntent("😊🎉", "sms")).toEqual({ intent: "other", reason: "the lead sent only emoji." });
  });
});

describe("leadWrittenPart", () => {
  it("drops quoted lines but keeps what the lead wrote between them", () => {
    expect(leadWrittenPart("> are you free?\nYes Friday\n> ok?\nAt 3")).toBe("Yes Friday\nAt 3");
  });

  it("drops the original after an On … wrote: line, also when Gmail wraps it", () => {
    expect(leadWrittenPart("Yes please\nOn Mon, Mar 4, 2024 at 10:00 AM Jane <j@x.com> wrote:\nstop")).toBe(
      "Yes please",
    );
    expect(
      leadWrittenPart("Yes please\n\nOn Mon, Mar 4, 2024 at 10:00 AM Jane Doe <j@x.com>\nwrote:\n\nstop"),
    ).toBe("Yes please");
    expect(leadWrittenPart("Sí\n\nEl lun, 4 mar 2024 a las 10:00, Jane <j@x.com> escribió:\n> hola")).toBe(
      "Sí",
    );
  });

  it("drops Outlook's original message and From/Sent blocks", () => {
    expect(leadWrittenPart("Call me\n-----Original Message-----\nFrom: Jane\nunsubscribe")).toBe("Call me");
    expect(
      leadWrittenPart(
        "Call me\n\nFrom: Jane Agent <j@x.com>\nSent: Tuesday, April 2, 2024 9:12 AM\nTo: Bob\nstop",
      ),
    ).toBe("Call me");
    expect(leadWrittenPart("Call me\n________________________________\nFrom: Jane")).toBe("Call me");
  });

  it("drops the signature", () => {
    expect(leadWrittenPart("Not interested\n-- \nBob Smith\nStop & Shop manager")).toBe("Not interested");
    expect(leadWrittenPart("ok\n\nSent from my iPhone")).toBe("ok");
    expect(leadWrittenPart("ok\n\nGet Outlook for Android")).toBe("ok");
  });

  it("keeps a line that merely starts with On", () => {
    expect(leadWrittenPart("On Monday works\nthanks")).toBe("On Monday works\nthanks");
  });
});

describe("normalise", () => {
  const text = (raw: string) => normalise(raw).text;

  it("lowers case, drops accents and apostrophes, and reads curly quotes", () => {
    expect(text("Don’t TEXT me")).toBe("dont text me");
    expect(text("número equivocado")).toBe("numero equivocado");
  });

  it("collapses repeated letters and punctuation", () => {
    expect(text("STOPPPP!!!")).toBe("stop !");
    expect(text("nooooo???")).toBe("no ?");
    expect(text("pleeeease stoooop")).toBe("please stop");
  });

  it("spells out texting shorthand and common misspellings", () => {
    expect(text("pls stpo txting me u r annoying")).toBe("please stop texting me you are annoying");
    expect(text("unsubscibe")).toBe("unsubscribe");
    expect(text("opt-out")).toBe("opt out");
    expect(text("s t o p")).toBe("stop");
    expect(text("wrong #")).toBe("wrong number");
  });

  it("reads stop emoji as the word stop and drops the rest", () => {
    expect(text("🛑")).toBe("stop");
    expect(text("✋🏽")).toBe("stop");
    expect(text("🙂")).toBe("");
  });

  it("joins the noun follow-ups into one word but keeps the verb", () => {
    expect(normalise("please end the follow ups").text).toBe("please end the followups");
    expect(normalise("follow up with me in the spring").text).toBe("follow up with me in the spring");
  });

  it("keeps times and dates in one token", () => {
    expect(text("Thursday at 2:30pm")).toBe("thursday at 2:30pm");
    expect(text("3/15 works")).toBe("3/15 works");
  });
});
